using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Caching;

public sealed class PageCacheOptions
{
    public const string Section = "Tessera:Cache";

    /// <summary>The most memory cached pages may take, in megabytes (0 turns caching off: every request builds its own page, as when measuring misses).</summary>
    public int MaxMegabytes { get; set; } = 64;

    /// <summary>The most memory the serialized tiles of filter content may take, in megabytes (0 turns that cache off: every page reads its full rows).</summary>
    public int TileJsonMegabytes { get; set; } = 32;

    /// <summary>A memory cache holding at most <paramref name="megabytes"/> (entry sizes in bytes); at least 1 MB, for a cache that is off and never filled.</summary>
    internal static MemoryCache SizeBounded(int megabytes) =>
        new(new MemoryCacheOptions { SizeLimit = Math.Max(1, megabytes) * 1024L * 1024L });
}

/// <summary>
/// Serialized public pages by key, each valid until it expires or its stack's generation moves on
/// (<see cref="StackGenerations"/>); a request asks for the page of the generation it started at. Concurrent misses of the same page share one build, so a
/// moderation action does not send every waiting visitor to the database at once. Size-bounded.
/// </summary>
public sealed class PageCache : IDisposable
{
    private readonly MemoryCache _pages;
    private readonly ConcurrentDictionary<(string Key, long Generation), Lazy<Task<CachedPage>>> _building = new();
    private readonly TimeProvider _time;
    private readonly bool _enabled;

    public PageCache(TimeProvider time, IOptions<PageCacheOptions> options)
    {
        _time = time;
        _enabled = options.Value.MaxMegabytes > 0;
        _pages = PageCacheOptions.SizeBounded(options.Value.MaxMegabytes);
    }

    /// <summary>
    /// The cached page of <paramref name="key"/> built at <paramref name="generation"/> of its stack (taken
    /// before anything the page shows was read), or a new one from <paramref name="build"/>, which must
    /// not depend on the caller's cancellation: other requests may wait for it.
    /// </summary>
    public async ValueTask<CachedPage> GetAsync(string key, long generation, Func<long, Task<CachedPage>> build, CancellationToken ct)
    {
        if (!_enabled)
        {
            return await build(generation).WaitAsync(ct);
        }

        if (_pages.TryGetValue(key, out CachedPage? page) && page!.Generation == generation && page.ExpiresAt > _time.GetUtcNow())
        {
            return page;
        }

        var building = _building.GetOrAdd((key, generation), k => new Lazy<Task<CachedPage>>(() => BuildAsync(k.Key, k.Generation, build)));
        return await building.Value.WaitAsync(ct);
    }

    private async Task<CachedPage> BuildAsync(string key, long generation, Func<long, Task<CachedPage>> build)
    {
        try
        {
            var page = await build(generation);
            if (_pages.TryGetValue(key, out CachedPage? stored) && stored!.Generation > generation)
            {
                // A build of a newer generation finished first; keep it.
                return page;
            }

            _pages.Set(key, page, new MemoryCacheEntryOptions
            {
                Size = page.Body.Length + key.Length + 256,
                AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(page.MaxAgeSeconds),
            });
            return page;
        }
        finally
        {
            _building.TryRemove((key, generation), out _);
        }
    }

    public void Dispose() => _pages.Dispose();
}
