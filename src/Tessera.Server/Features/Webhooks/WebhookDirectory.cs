using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Data;

namespace Tessera.Server.Features.Webhooks;

/// <summary>
/// The enabled subscriptions of every stack, held in memory so that a save can ask "who wants this
/// event?" without a query. A change on this node applies at once (<see cref="Invalidate"/>); one
/// made on another node is seen within <see cref="WebhookOptions.SubscriptionRefreshSeconds"/>.
/// </summary>
public sealed class WebhookDirectory(IServiceScopeFactory scopes, IOptions<WebhookOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _snapshot;
    private int _version;

    /// <summary>A subscription as the outbox needs it.</summary>
    public sealed record Target(int SubscriptionId, IReadOnlySet<string> Events);

    /// <summary>The stack's enabled subscriptions that take <paramref name="eventType"/>.</summary>
    public async ValueTask<IReadOnlyList<Target>> ForAsync(int stackId, string eventType, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(ct);
        return snapshot.ByStack.TryGetValue(stackId, out var targets)
            ? [.. targets.Where(t => t.Events.Contains(eventType))]
            : [];
    }

    /// <summary>True when the stack has an enabled subscription at all (a cheap test before building payloads).</summary>
    public async ValueTask<bool> AnyAsync(int stackId, CancellationToken ct) => (await CurrentAsync(ct)).ByStack.ContainsKey(stackId);

    public void Dispose() => _loading.Dispose();

    /// <summary>Forgets the snapshot: the next save re-reads the subscriptions.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        _snapshot = null;
    }

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var now = time.GetTimestamp();
        if (_snapshot is { } fresh && time.GetElapsedTime(fresh.LoadedAt, now).TotalSeconds < options.Value.SubscriptionRefreshSeconds)
        {
            return fresh;
        }

        await _loading.WaitAsync(ct);
        try
        {
            if (_snapshot is { } loaded && time.GetElapsedTime(loaded.LoadedAt).TotalSeconds < options.Value.SubscriptionRefreshSeconds)
            {
                return loaded;
            }

            var loadedAt = time.GetTimestamp();
            var version = Volatile.Read(ref _version);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            var rows = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Enabled)
                .Select(s => new { s.Id, s.StackId, s.Events }).ToListAsync(ct);
            var snapshot = new Snapshot(
                loadedAt,
                rows.GroupBy(r => r.StackId).ToDictionary(
                    g => g.Key,
                    g => (IReadOnlyList<Target>)[.. g.Select(r => new Target(r.Id, r.Events.ToHashSet(StringComparer.Ordinal)))]));
            // Kept only if no change was made meanwhile: the next save then reads again.
            if (version == Volatile.Read(ref _version))
            {
                _snapshot = snapshot;
            }

            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private sealed record Snapshot(long LoadedAt, IReadOnlyDictionary<int, IReadOnlyList<Target>> ByStack);
}
