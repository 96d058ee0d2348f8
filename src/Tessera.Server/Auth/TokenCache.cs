using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Auth;

/// <summary><c>Tessera:Auth</c> settings.</summary>
public sealed class AuthOptions
{
    public const string Section = "Tessera:Auth";

    /// <summary>How long a successful token lookup is reused; 0 looks every token up on every request.</summary>
    public int TokenCacheSeconds { get; set; } = 30;
}

/// <summary>
/// Remembers recently authenticated tokens (by hash), so a request costs no token query. An entry
/// lives at most <see cref="AuthOptions.TokenCacheSeconds"/> and never past the token's expiry.
/// Anything that revokes a token or changes a user's rights calls <see cref="Invalidate"/>: on this
/// node the change then applies to the very next request; on other nodes within the TTL. Such
/// changes are rare admin actions, so one generation for all entries keeps this simple and exact.
/// </summary>
public sealed class TokenCache(TimeProvider time, IOptions<AuthOptions> options)
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    public bool TryGet(string tokenHash, out ApiCaller caller)
    {
        caller = null!;
        if (!_entries.TryGetValue(tokenHash, out var entry))
        {
            return false;
        }

        if (entry.ExpiresAt <= time.GetUtcNow().ToUnixTimeMilliseconds() || entry.Generation != Generation)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(tokenHash, entry));
            return false;
        }

        caller = entry.Caller;
        return true;
    }

    /// <param name="tokenHash">The token's hash.</param>
    /// <param name="caller">Who the token authenticates.</param>
    /// <param name="tokenExpiresAt">The token's own expiry (UNIX seconds), if any.</param>
    /// <param name="generation">The <see cref="Generation"/> read before the lookup began.</param>
    public void Add(string tokenHash, ApiCaller caller, long? tokenExpiresAt, long generation)
    {
        var ttl = options.Value.TokenCacheSeconds;
        if (ttl <= 0)
        {
            return;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear(); // crude but bounded; a full cache only costs lookups
        }

        var expiresAt = time.GetUtcNow().ToUnixTimeMilliseconds() + (ttl * 1000L);
        if (tokenExpiresAt is { } tokenExpiry)
        {
            expiresAt = Math.Min(expiresAt, tokenExpiry * 1000L);
        }

        _entries[tokenHash] = new Entry(caller, expiresAt, generation);
    }

    /// <summary>Read before a lookup that may be cached: an invalidation during the lookup then discards its result.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Forgets every cached token (a token revoked, a user removed or given other rights).</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    private sealed record Entry(ApiCaller Caller, long ExpiresAt, long Generation);
}
