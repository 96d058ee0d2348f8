using System.Buffers.Text;
using System.Security.Cryptography;

namespace Tessera.Server.Caching;

/// <summary>A serialized response body with its strong ETag, the generation of its stack it was built at and its lifetime.</summary>
public sealed class CachedPage(byte[] body, int maxAgeSeconds, long generation, DateTimeOffset builtAt)
{
    public DateTimeOffset BuiltAt { get; } = builtAt;

    public byte[] Body { get; } = body;

    /// <summary>A strong validator: the first 128 bits of the body's SHA-256, quoted.</summary>
    public string ETag { get; } = $"\"{Base64Url.EncodeToString(SHA256.HashData(body).AsSpan(0, 16))}\"";

    /// <summary>The <c>Cache-Control: max-age</c> this page is served with, and how long it is kept here.</summary>
    public int MaxAgeSeconds { get; } = maxAgeSeconds;

    /// <summary><c>Cache-Control</c>; sent with an <c>Age</c> header so shared caches keep the page no longer than its lifetime here.</summary>
    public string CacheControl { get; } = $"public, max-age={maxAgeSeconds}";

    /// <summary>The <c>Age</c> header value at <paramref name="now"/>: whole seconds since the page was built.</summary>
    public string AgeAt(DateTimeOffset now) =>
        ((long)Math.Max(0, (now - BuiltAt).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public long Generation { get; } = generation;

    public DateTimeOffset ExpiresAt => BuiltAt.AddSeconds(MaxAgeSeconds);

    /// <summary>Whether an <c>If-None-Match</c> header names this page (a list, weak validators or <c>*</c>).</summary>
    public bool MatchesAny(string? ifNoneMatch)
    {
        if (string.IsNullOrEmpty(ifNoneMatch))
        {
            return false;
        }

        foreach (var range in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = range.StartsWith("W/", StringComparison.Ordinal) ? range[2..] : range;
            if (tag == "*" || tag == ETag)
            {
                return true;
            }
        }

        return false;
    }
}
