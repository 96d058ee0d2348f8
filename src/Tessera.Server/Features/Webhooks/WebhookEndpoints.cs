using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.Webhooks;

/// <summary>
/// <c>/api/webhooks</c> (preview, decisions §6): subscriptions, their delivery log, redelivery,
/// secret rotation, and manual tile events.
/// </summary>
public static class WebhookEndpoints
{
    private const ApiResource Resource = ApiResource.Webhooks;

    public static void MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var hooks = routes.MapGroup("/api/webhooks").AsPreviewEndpoint(ApiArea.Webhooks, Resource).WithTags("Webhooks");
        hooks.MapGet("/", ListSubscriptions).WithSummary("List webhook subscriptions");
        hooks.MapPost("/", CreateSubscription).WithSummary("Subscribe a URL to event types; the secret is returned once");
        hooks.MapPost("/manual", SendManualEvent).WithSummary("Send a MANUAL_TILE_WEBHOOK event for a tile");
        hooks.MapGet("/{webhookId:int}", GetSubscription).WithSummary("Get a webhook subscription");
        hooks.MapPut("/{webhookId:int}", UpdateSubscription).WithSummary("Change a subscription's URL, events or enabled flag");
        hooks.MapDelete("/{webhookId:int}", DeleteSubscription).WithSummary("Delete a subscription and its delivery log; returns it");
        hooks.MapPost("/{webhookId:int}/rotate-secret", RotateSecret).WithSummary("Issue a new secret; the old one keeps signing as a second signature during the overlap");
        hooks.MapGet("/{webhookId:int}/deliveries", ListDeliveries).WithSummary("The delivery log, newest first (status filter optional)");
        hooks.MapGet("/{webhookId:int}/deliveries/{eventId}", GetDelivery).WithSummary("One delivery with its attempts and payload");
        hooks.MapPost("/{webhookId:int}/deliveries/{eventId}/redeliver", Redeliver).WithSummary("Send one event again");
        hooks.MapPost("/{webhookId:int}/redeliver-dead", RedeliverDead).WithSummary("Send every dead event again");
    }

    public static async Task<IResult> ListSubscriptions(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var paging = Paging.Read(f);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var page = await Subscriptions(db, caller).AsNoTracking()
            .OrderBy(s => s.Id).Skip(paging.Skip).Take(paging.Limit).ToListAsync(ct);
        return ApiResults.Ok(page.Select(s => WebhookWire.From(s, now)).ToList());
    }

    public static async Task<IResult> CreateSubscription(
        ApiCaller caller, ApiParameters parameters, TesseraDbContext db, WebhookDirectory directory, TimeProvider time, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var url = f.Url("url", WebhookRules.MaxUrlLength);
        f.Require("url", url);
        var events = ReadEvents(f, caller);
        if (events is null && !f.Has("events"))
        {
            f.AddError("events", "events is required: a list of event types", "missing_field");
        }

        var secret = ReadSecret(f) ?? NewSecret();
        var enabled = f.Bool("enabled") ?? true;
        if (!f.HasErrors && await db.WebhookSubscriptions.CountAsync(s => s.StackId == caller.StackId, ct) >= WebhookRules.MaxSubscriptionsPerStack)
        {
            f.AddError("url", $"a stack has at most {WebhookRules.MaxSubscriptionsPerStack} webhook subscriptions", "too_many");
        }

        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var subscription = new WebhookSubscription
        {
            StackId = caller.StackId,
            Url = url!,
            Events = [.. events!],
            Enabled = enabled,
            Secret = secret,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        return ApiResults.Ok(WebhookWire.From(subscription, now, secret));
    }

    public static async Task<IResult> GetSubscription(int webhookId, ApiCaller caller, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var subscription = await FindAsync(db, caller, webhookId, tracked: false, ct);
        return subscription is null ? NotFound(webhookId) : ApiResults.Ok(WebhookWire.From(subscription, time.GetUtcNow().ToUnixTimeSeconds()));
    }

    public static async Task<IResult> UpdateSubscription(
        int webhookId, ApiCaller caller, ApiParameters parameters, TesseraDbContext db, WebhookDirectory directory, TimeProvider time, CancellationToken ct)
    {
        var subscription = await FindAsync(db, caller, webhookId, tracked: true, ct);
        if (subscription is null)
        {
            return NotFound(webhookId);
        }

        var f = new FieldReader(parameters, Resource);
        if (f.Has("url"))
        {
            var url = f.Url("url", WebhookRules.MaxUrlLength);
            f.Require("url", url);
            subscription.Url = url ?? subscription.Url;
        }

        if (ReadEvents(f, caller) is { } events)
        {
            subscription.Events = [.. events];
        }

        var wasEnabled = subscription.Enabled;
        subscription.Enabled = f.Bool("enabled") ?? subscription.Enabled;
        if (f.Has("secret"))
        {
            f.AddError("secret", "the secret is changed with POST /api/webhooks/{id}/rotate-secret, which keeps the old one signing during an overlap", "read_only_field");
        }

        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var now = time.GetUtcNow();
        subscription.UpdatedAt = now.ToUnixTimeSeconds();
        subscription.Version++;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await db.TrySaveAsync(ct);
        if (outcome == SaveOutcome.Saved && wasEnabled != subscription.Enabled)
        {
            await ParkOrResumeAsync(db, subscription, now.ToUnixTimeMilliseconds(), ct);
        }

        return await CommitAsync(transaction, directory, subscription, outcome, now.ToUnixTimeSeconds(), secret: null, ct);
    }

    public static async Task<IResult> DeleteSubscription(
        int webhookId, ApiCaller caller, TesseraDbContext db, WebhookDirectory directory, TimeProvider time, CancellationToken ct)
    {
        var subscription = await FindAsync(db, caller, webhookId, tracked: true, ct);
        if (subscription is null)
        {
            return NotFound(webhookId);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.WebhookDeliveries.Where(d => d.SubscriptionId == subscription.Id).ExecuteDeleteAsync(ct);
        db.WebhookSubscriptions.Remove(subscription);
        var outcome = await db.TrySaveAsync(ct);
        return await CommitAsync(transaction, directory, subscription, outcome, time.GetUtcNow().ToUnixTimeSeconds(), secret: null, ct);
    }

    public static async Task<IResult> RotateSecret(
        int webhookId, ApiCaller caller, ApiParameters parameters, TesseraDbContext db, WebhookDirectory directory,
        IOptions<WebhookOptions> options, TimeProvider time, CancellationToken ct)
    {
        var subscription = await FindAsync(db, caller, webhookId, tracked: true, ct);
        if (subscription is null)
        {
            return NotFound(webhookId);
        }

        var f = new FieldReader(parameters, Resource);
        var secret = ReadSecret(f) ?? NewSecret();
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        subscription.PreviousSecret = subscription.Secret;
        subscription.PreviousSecretUntil = now + (long)(options.Value.SecretOverlapHours * 3600);
        subscription.Secret = secret;
        subscription.UpdatedAt = now;
        subscription.Version++;
        var outcome = await db.TrySaveAsync(ct);
        directory.Invalidate();
        return outcome == SaveOutcome.Saved ? ApiResults.Ok(WebhookWire.From(subscription, now, secret)) : SaveFailed(subscription, outcome);
    }

    public static async Task<IResult> ListDeliveries(int webhookId, ApiCaller caller, ApiParameters parameters, TesseraDbContext db, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var paging = Paging.Read(f);
        var status = f.Enum("status", DeliveryStatusNames);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        if (await FindAsync(db, caller, webhookId, tracked: false, ct) is null)
        {
            return NotFound(webhookId);
        }

        var deliveries = Deliveries(db, caller).AsNoTracking().Where(d => d.SubscriptionId == webhookId);
        if (status is not null)
        {
            var wanted = Enum.GetValues<DeliveryStatus>().First(s => DeliveryWire.StatusName(s) == status);
            deliveries = deliveries.Where(d => d.Status == wanted);
        }

        var page = await deliveries.OrderByDescending(d => d.Id).Skip(paging.Skip).Take(paging.Limit).ToListAsync(ct);
        return ApiResults.Ok(page.Select(d => DeliveryWire.From(d)).ToList());
    }

    public static async Task<IResult> GetDelivery(int webhookId, string eventId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var delivery = await FindDeliveryAsync(db, caller, webhookId, eventId, tracked: false, ct);
        if (delivery is null)
        {
            return DeliveryNotFound(eventId);
        }

        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == delivery.Id).OrderBy(a => a.Number).ToListAsync(ct);
        return ApiResults.Ok(DeliveryWire.From(delivery, attempts));
    }

    /// <summary>Sends one event again (delivered or dead ones too), as soon as the dispatcher gets to it; earlier attempts stay in the log.</summary>
    public static async Task<IResult> Redeliver(
        int webhookId, string eventId, ApiCaller caller, TesseraDbContext db, WebhookSignal signal, TimeProvider time, CancellationToken ct)
    {
        var delivery = await FindDeliveryAsync(db, caller, webhookId, eventId, tracked: true, ct);
        if (delivery is null)
        {
            return DeliveryNotFound(eventId);
        }

        if (delivery.ClaimedBy is not null)
        {
            return ApiResults.Error(Resource, StatusCodes.Status409Conflict, "delivery_in_flight", $"event {delivery.EventId} is being sent right now; read its delivery again in a moment");
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        delivery.Status = DeliveryStatus.Pending;
        delivery.NextAttemptAtMs = now;
        delivery.RetryFromMs = now;
        var outcome = await db.TrySaveAsync(ct);
        if (outcome != SaveOutcome.Saved)
        {
            return ApiResults.SaveFailed(Resource, $"delivery of event {delivery.EventId}", outcome);
        }

        signal.Wake();
        return ApiResults.Ok(DeliveryWire.From(delivery));
    }

    public static async Task<IResult> RedeliverDead(
        int webhookId, ApiCaller caller, TesseraDbContext db, WebhookSignal signal, TimeProvider time, CancellationToken ct)
    {
        if (await FindAsync(db, caller, webhookId, tracked: false, ct) is null)
        {
            return NotFound(webhookId);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var count = await Deliveries(db, caller).Where(d => d.SubscriptionId == webhookId && d.Status == DeliveryStatus.Dead)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.NextAttemptAtMs, now).SetProperty(d => d.RetryFromMs, now), ct);
        signal.Wake();
        return ApiResults.Ok(new Dictionary<string, int> { ["redelivered"] = count });
    }

    /// <summary><c>MANUAL_TILE_WEBHOOK</c>: a snapshot of tile <c>tile_id</c> to every subscription of that type.</summary>
    public static async Task<IResult> SendManualEvent(
        ApiCaller caller, ApiParameters parameters, TesseraDbContext db, WebhookOutbox outbox, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var tileId = f.String("tile_id", TileRules.MaxIdLength);
        f.Require("tile_id", tileId);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var tile = await TileReader.FindAsync(db, caller.StackId, tileId!, tracked: false, ct);
        if (tile is null)
        {
            return ApiResults.NotFound(ApiResource.Tiles, $"tile {(tileId!.Length > 80 ? tileId[..80] : tileId)}");
        }

        var (eventId, count) = await outbox.EmitAsync(db, tile.StackId, WebhookEventTypes.ManualTileWebhook, () => WebhookPayloads.ManualTile(tile), ct);
        var outcome = await db.TrySaveAsync(ct);
        return outcome == SaveOutcome.Saved
            ? ApiResults.Ok(new ManualEventWire(tile.ObjectId, eventId, count))
            : ApiResults.SaveFailed(Resource, $"event for tile {tile.ObjectId}", outcome);
    }

    private static readonly string[] DeliveryStatusNames = [.. Enum.GetValues<DeliveryStatus>().Select(DeliveryWire.StatusName)];

    /// <summary>
    /// A non-empty list of known event types (duplicates dropped), or null when absent.
    /// <c>USER_UPDATE</c> carries users' e-mail addresses, so only an Admin may subscribe to it
    /// (the users area is the Admin's alone, decisions §2.2).
    /// </summary>
    private static List<string>? ReadEvents(FieldReader f, ApiCaller caller)
    {
        var names = f.EnumList("events", WebhookEventTypes.All);
        if (names is null)
        {
            return null;
        }

        if (names.Count == 0 && !f.HasErrors)
        {
            f.AddError("events", $"name at least one event type: {string.Join(", ", WebhookEventTypes.All)}");
        }

        if (names.Contains(WebhookEventTypes.UserUpdate) && !MayReadUsers(caller))
        {
            f.AddError("events", "USER_UPDATE carries users' personal data: only an Admin may subscribe to it", "forbidden_event");
        }

        return [.. names.Distinct()];
    }

    /// <summary>A client-chosen secret: 16 to 128 printable ASCII characters without spaces.</summary>
    private static string? ReadSecret(FieldReader f)
    {
        var secret = f.String("secret", WebhookRules.MaxSecretLength, WebhookRules.MinSecretLength);
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        if (!secret.All(c => c is > ' ' and < '\u007f'))
        {
            f.AddError("secret", "must be printable ASCII without spaces");
            return null;
        }

        return secret;
    }

    /// <summary>256 random bits, base64url: 43 characters.</summary>
    private static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Disabling parks the subscription's waiting deliveries (no next attempt, so claims never walk
    /// past them); enabling sends them again with a fresh retry window.
    /// </summary>
    private static Task<int> ParkOrResumeAsync(TesseraDbContext db, WebhookSubscription subscription, long nowMs, CancellationToken ct)
    {
        var waiting = db.WebhookDeliveries.Where(d => d.SubscriptionId == subscription.Id && (d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Failed));
        return subscription.Enabled
            ? waiting.Where(d => d.NextAttemptAtMs == null).ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAtMs, nowMs).SetProperty(d => d.RetryFromMs, nowMs), ct)
            : waiting.Where(d => d.ClaimedBy == null).ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAtMs, (long?)null), ct);
    }

    private static async Task<IResult> CommitAsync(
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, WebhookDirectory directory, WebhookSubscription subscription,
        SaveOutcome outcome, long now, string? secret, CancellationToken ct)
    {
        if (outcome != SaveOutcome.Saved)
        {
            return SaveFailed(subscription, outcome);
        }

        await transaction.CommitAsync(ct);
        directory.Invalidate();
        return ApiResults.Ok(WebhookWire.From(subscription, now, secret));
    }

    private static IResult SaveFailed(WebhookSubscription subscription, SaveOutcome outcome) =>
        ApiResults.SaveFailed(Resource, $"webhook {subscription.Id}", outcome);

    /// <summary>
    /// The stack's subscriptions the caller may see. <c>USER_UPDATE</c> events carry users' personal
    /// data, which only Admins may read (decisions §2.2): a subscription that takes them is the
    /// Admins' alone (others get 404), and so are such events in any delivery log.
    /// </summary>
    private static IQueryable<WebhookSubscription> Subscriptions(TesseraDbContext db, ApiCaller caller)
    {
        var stack = db.WebhookSubscriptions.Where(s => s.StackId == caller.StackId);
        return MayReadUsers(caller) ? stack : stack.Where(s => !s.Events.Contains(WebhookEventTypes.UserUpdate));
    }

    /// <summary>The stack's deliveries the caller may see (see <see cref="Subscriptions"/>).</summary>
    private static IQueryable<WebhookDelivery> Deliveries(TesseraDbContext db, ApiCaller caller)
    {
        var stack = db.WebhookDeliveries.Where(d => d.StackId == caller.StackId);
        return MayReadUsers(caller) ? stack : stack.Where(d => d.EventType != WebhookEventTypes.UserUpdate);
    }

    private static bool MayReadUsers(ApiCaller caller) => AccessPolicy.Allows(caller.Groups, ApiArea.Users, isRead: true);

    private static Task<WebhookSubscription?> FindAsync(TesseraDbContext db, ApiCaller caller, int id, bool tracked, CancellationToken ct)
    {
        var query = Subscriptions(db, caller).Where(s => s.Id == id);
        return (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(ct);
    }

    /// <summary>A delivery of a subscription of the caller's stack; another stack's is simply not found.</summary>
    private static Task<WebhookDelivery?> FindDeliveryAsync(TesseraDbContext db, ApiCaller caller, int webhookId, string eventId, bool tracked, CancellationToken ct)
    {
        var query = Deliveries(db, caller).Where(d => d.SubscriptionId == webhookId && d.EventId == eventId);
        return (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(ct);
    }

    private static IResult NotFound(int id) => ApiResults.NotFound(Resource, $"webhook {id}");

    private static IResult DeliveryNotFound(string eventId) =>
        ApiResults.Error(Resource, StatusCodes.Status404NotFound, "delivery_not_found", $"delivery of event {(eventId.Length > 40 ? eventId[..40] : eventId)} not found");
}
