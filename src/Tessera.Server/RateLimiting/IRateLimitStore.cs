namespace Tessera.Server.RateLimiting;

/// <summary>The outcome of counting one request against its client's window.</summary>
/// <param name="Allowed">Whether the request may proceed.</param>
/// <param name="Remaining">Requests left in this window for requests of the same kind.</param>
/// <param name="ResetSeconds">Seconds until the window ends.</param>
public readonly record struct RateLimitDecision(bool Allowed, int Remaining, int ResetSeconds);

/// <summary>
/// Counts requests in fixed windows aligned to the epoch (window n covers
/// [n·W, (n+1)·W) seconds), so every node of a deployment agrees on the window without talking.
/// A request is counted only when allowed. The in-memory store serves one node; a shared store
/// (Redis) implements the same contract for several.
/// </summary>
public interface IRateLimitStore
{
    /// <param name="key">The client's bucket.</param>
    /// <param name="limit">The most requests this kind of request may bring the window's count to.</param>
    /// <param name="windowSeconds">Window length.</param>
    /// <param name="ct">Cancels the call to a remote store.</param>
    ValueTask<RateLimitDecision> TryAcquireAsync(string key, int limit, int windowSeconds, CancellationToken ct);
}
