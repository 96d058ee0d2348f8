using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Tessera.Server.Data;
using Tessera.Server.Features.Tiles;
using Tessera.Server.Features.Users;

namespace Tessera.Server.Features.Webhooks;

/// <summary>
/// Part of every save: turns the tile and user changes of the save into webhook events, one
/// <see cref="WebhookDelivery"/> row per subscription that takes the event, saved in the same
/// transaction as the change. A crash after the commit cannot lose an event, and a change that is
/// rolled back emits none. The dispatcher is woken once the rows are committed.
/// </summary>
/// <remarks>
/// Events: a new tile is <c>TILE_INGESTED</c> (after automation rules, which run before the save); a
/// status change <c>TILE_STATUS_UPDATE</c>; a change of the tag list <c>TILE_TAGS_UPDATE</c>; votes
/// <c>TILE_VOTES_UPDATE</c>; a tile becoming claimed <c>TILE_CLAIM</c>; a user added or changed
/// <c>USER_UPDATE</c>. One save can emit several events for one tile.
/// </remarks>
public sealed class WebhookOutbox(WebhookDirectory directory, WebhookSignal signal, TimeProvider time) : ISaveHook
{
    public async ValueTask BeforeSaveAsync(TesseraDbContext db, bool inTransaction, CancellationToken ct)
    {
        if (!inTransaction)
        {
            // Rows of an earlier save of this context that failed: nothing of it was committed.
            foreach (var unsaved in db.OutboxRows.Where(r => db.Entry(r).State == EntityState.Added))
            {
                db.Entry(unsaved).State = EntityState.Detached;
            }

            db.OutboxRows.Clear();
        }

        var now = time.GetUtcNow();
        ILookup<long, EntityEntry<TileTag>>? tagRows = null;
        foreach (var entry in db.ChangeTracker.Entries<Tile>().ToList())
        {
            var tile = entry.Entity;
            if (entry.State is EntityState.Detached or EntityState.Deleted || !await directory.AnyAsync(tile.StackId, ct))
            {
                continue;
            }

            if (entry.State == EntityState.Added)
            {
                await EmitAsync(db, tile.StackId, WebhookEventTypes.TileIngested, () => WebhookPayloads.TileIngested(tile), now, remember: true, ct);
                continue;
            }

            var oldStatus = entry.OriginalValues.GetValue<TileStatus>(nameof(Tile.Status));
            if (entry.State == EntityState.Modified && oldStatus != tile.Status)
            {
                await EmitAsync(db, tile.StackId, WebhookEventTypes.TileStatusUpdate, () => WebhookPayloads.TileStatusUpdate(tile, oldStatus), now, remember: true, ct);
            }

            tagRows ??= db.ChangeTracker.Entries<TileTag>().ToLookup(t => t.Entity.TileSeq);
            if (OldTagIds(tagRows[tile.Seq]) is { } oldTags)
            {
                await EmitAsync(db, tile.StackId, WebhookEventTypes.TileTagsUpdate, () => WebhookPayloads.TileTagsUpdate(tile, oldTags), now, remember: true, ct);
            }

            if (entry.State == EntityState.Modified && entry.OriginalValues.GetValue<int>(nameof(Tile.Votes)) != tile.Votes)
            {
                await EmitAsync(db, tile.StackId, WebhookEventTypes.TileVotesUpdate, () => WebhookPayloads.TileVotesUpdate(tile), now, remember: true, ct);
            }

            if (entry.State == EntityState.Modified && tile.Claimed && !entry.OriginalValues.GetValue<bool>(nameof(Tile.Claimed)))
            {
                await EmitAsync(db, tile.StackId, WebhookEventTypes.TileClaim, () => WebhookPayloads.TileClaim(tile), now, remember: true, ct);
            }
        }

        foreach (var entry in db.ChangeTracker.Entries<User>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList())
        {
            if (UserEventType(entry) is { } type)
            {
                var user = entry.Entity;
                await EmitAsync(db, user.StackId, WebhookEventTypes.UserUpdate, () => WebhookPayloads.UserUpdate(user, type), now, remember: true, ct);
            }
        }
    }

    /// <summary>
    /// The <c>USER_UPDATE</c> type of a user's change, or null for none. An invited user joins the
    /// stack when they accept the invitation: that is <c>added</c> (so the event has the user's id);
    /// nothing is sent about a pending invitation. Then <c>updated</c> for a change of profile,
    /// groups or e-mail and <c>removed</c> for a removal; sign-in bookkeeping (failed logins, last
    /// login, password) sends nothing.
    /// </summary>
    private static string? UserEventType(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<User> entry)
    {
        var pending = entry.Entity.InvitationHash is not null;
        if (entry.State == EntityState.Added)
        {
            return pending ? null : "added";
        }

        var wasPending = entry.Property(u => u.InvitationHash).OriginalValue is not null;
        if (entry.Entity.RemovedAt is not null)
        {
            return entry.Property(u => u.RemovedAt).OriginalValue is null && !wasPending ? "removed" : null;
        }

        if (pending)
        {
            return null;
        }

        if (wasPending || entry.Property(u => u.RemovedAt).OriginalValue is not null)
        {
            return "added";
        }

        string[] profile =
        [
            nameof(User.FirstName), nameof(User.LastName), nameof(User.Email), nameof(User.Description), nameof(User.DisplayTimezone),
            nameof(User.Distances), nameof(User.AclGroups), nameof(User.Username),
        ];
        return profile.Any(p => entry.Property(p).IsModified && !Equals(entry.Property(p).OriginalValue, entry.Property(p).CurrentValue)) ? "updated" : null;
    }

    public void AfterCommit(TesseraDbContext db)
    {
        db.OutboxRows.Clear();
        if (db.WebhooksQueued)
        {
            db.WebhooksQueued = false;
            signal.Wake();
        }
    }

    /// <summary>
    /// Adds an event for the stack's subscriptions that take <paramref name="eventType"/> to the
    /// context, saved with its next save (which then wakes the dispatcher). Returns the event's id
    /// (empty when no subscription takes it) and how many deliveries were added.
    /// </summary>
    public Task<(string EventId, int Deliveries)> EmitAsync(TesseraDbContext db, int stackId, string eventType, Func<string> payload, CancellationToken ct) =>
        EmitAsync(db, stackId, eventType, payload, time.GetUtcNow(), remember: false, ct);

    private async Task<(string EventId, int Deliveries)> EmitAsync(
        TesseraDbContext db, int stackId, string eventType, Func<string> payload, DateTimeOffset now, bool remember, CancellationToken ct)
    {
        var targets = await directory.ForAsync(stackId, eventType, ct);
        if (targets.Count == 0)
        {
            return (string.Empty, 0);
        }

        var body = payload();
        var eventId = Guid.CreateVersion7(now).ToString();
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var target in targets)
        {
            var row = new WebhookDelivery
            {
                SubscriptionId = target.SubscriptionId,
                StackId = stackId,
                EventId = eventId,
                EventType = eventType,
                Payload = body,
                CreatedAtMs = nowMs,
                RetryFromMs = nowMs,
                NextAttemptAtMs = nowMs,
            };
            db.WebhookDeliveries.Add(row);
            if (remember)
            {
                // Rows of this hook, dropped if the save fails (the caller's own events are the caller's).
                db.OutboxRows.Add(row);
            }
        }

        db.WebhooksQueued = true;
        return (eventId, targets.Count);
    }

    /// <summary>The tile's tag ids before the save if this save changes the list (ids or order); else null.</summary>
    private static List<int>? OldTagIds(IEnumerable<EntityEntry<TileTag>> rows)
    {
        var all = rows.ToList();
        if (!all.Any(r => r.State is EntityState.Added or EntityState.Deleted
            || r.State == EntityState.Modified && r.OriginalValues.GetValue<int>(nameof(TileTag.Position)) != r.Entity.Position))
        {
            return null;
        }

        return [.. all.Where(r => r.State != EntityState.Added)
            .OrderBy(r => r.OriginalValues.GetValue<int>(nameof(TileTag.Position)))
            .Select(r => r.Entity.TagId)];
    }
}

/// <summary>
/// Wakes the dispatcher when new deliveries are committed, so events go out at once rather than at
/// the next poll. The dispatcher takes <see cref="NextWake"/> before it looks for due rows, so a
/// wake during its round is not missed.
/// </summary>
public sealed class WebhookSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next <see cref="Wake"/>.</summary>
    public Task NextWake() => Volatile.Read(ref _next).Task;
}
