using System.Collections.Concurrent;

namespace Tessera.Server.RateLimiting;

/// <summary>Exact fixed-window counting for a single node: one lock per client bucket.</summary>
public sealed class InMemoryRateLimitStore(TimeProvider time) : IRateLimitStore
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _lastSweepWindow;

    public ValueTask<RateLimitDecision> TryAcquireAsync(string key, int limit, int windowSeconds, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var current = now / windowSeconds;
        var reset = (int)(((current + 1) * windowSeconds) - now);
        SweepExpired(current);

        while (true)
        {
            var window = _windows.GetOrAdd(key, static _ => new Window());
            lock (window)
            {
                if (window.Removed)
                {
                    continue; // swept between lookup and lock: count in the bucket that replaced it
                }

                return ValueTask.FromResult(Count(window, current, limit, reset));
            }
        }
    }

    private static RateLimitDecision Count(Window window, long current, int limit, int reset)
    {
        // A request that read the clock just before the boundary but got the lock after a newer
        // request counts in the newer window; it never rewinds it.
        if (current > window.Number)
        {
            window.Number = current;
            window.Count = 0;
        }

        if (window.Count >= limit)
        {
            return new RateLimitDecision(false, 0, reset);
        }

        window.Count++;
        return new RateLimitDecision(true, limit - window.Count, reset);
    }

    /// <summary>Once per window, forget the buckets of clients not seen in the current one.</summary>
    private void SweepExpired(long current)
    {
        var last = Interlocked.Read(ref _lastSweepWindow);
        if (last == current || Interlocked.CompareExchange(ref _lastSweepWindow, current, last) != last)
        {
            return;
        }

        foreach (var (key, window) in _windows)
        {
            lock (window)
            {
                if (window.Number < current)
                {
                    window.Removed = true;
                    _windows.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed class Window
    {
        public long Number { get; set; }

        public int Count { get; set; }

        public bool Removed { get; set; }
    }
}
