using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Filters;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Caching;

/// <summary>
/// The management wire JSON of single tiles (<see cref="TileWire"/>, UTF-8), by <c>Seq</c>, so a page
/// of filter content whose tiles have not changed is one narrow query (<see cref="FilterQuery.PageKeysAsync"/>)
/// plus stored bytes. Size-bounded (<c>Tessera:Cache:TileJsonMegabytes</c>; 0 turns it off).
/// </summary>
/// <remarks>
/// An entry is used only while all of these still match: the tile's <c>Seq</c> (the key) and
/// <c>ObjectId</c> (SQLite may give a new tile the key of a deleted one), its <c>Version</c> (moved by
/// every change of the row or its tag links, <see cref="TileVersionHook"/>), its stack's
/// <see cref="TileWireGenerations"/> (tags and terms, which the JSON shows too) and the base URL
/// stored media paths were made absolute with. Changes that skip the save hooks (raw SQL,
/// <c>ExecuteUpdate</c>) must move the tile's version themselves.
/// </remarks>
public sealed class TileJsonCache : IDisposable
{
    /// <summary>What an entry costs besides its bytes: the entry, its strings, the cache's bookkeeping.</summary>
    private const int EntryOverhead = 256;

    /// <summary>
    /// How long an entry lives at most: the bound on how long a tag or term change made by another
    /// node (whose generations this node does not see) can go unseen here, like the page cache's expiry.
    /// </summary>
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _tiles;
    private readonly TileWireGenerations _generations;

    public TileJsonCache(TileWireGenerations generations, IOptions<PageCacheOptions> options)
    {
        _generations = generations;
        Enabled = options.Value.TileJsonMegabytes > 0;
        _tiles = PageCacheOptions.SizeBounded(options.Value.TileJsonMegabytes);
    }

    /// <summary>False when configured off: callers then read and serialize whole pages themselves.</summary>
    public bool Enabled { get; }

    /// <summary>
    /// The JSON of the tiles of <paramref name="keys"/>, in that order: stored bytes where they are
    /// still valid, the others read (with their tags and terms), serialized and stored. A tile deleted
    /// since its key was read is left out.
    /// </summary>
    public async Task<List<RawJson>> PageAsync(TesseraDbContext db, int stackId, IReadOnlyList<TileKey> keys, string baseUrl, CancellationToken ct)
    {
        // Taken before anything of the misses is read: bytes built from tags or terms older than a
        // commit then always carry an older generation than the one that commit left behind.
        var generation = _generations.Current(stackId);
        var page = new byte[]?[keys.Count];
        List<long>? missing = null;
        for (var i = 0; i < keys.Count; i++)
        {
            if (_tiles.TryGetValue(keys[i].Seq, out TileJson? stored) && stored!.IsValidFor(keys[i], generation, baseUrl))
            {
                page[i] = stored.Utf8;
            }
            else
            {
                (missing ??= []).Add(keys[i].Seq);
            }
        }

        if (missing is not null)
        {
            var built = await BuildAsync(db, stackId, missing, baseUrl, generation, ct);
            for (var i = 0; i < keys.Count; i++)
            {
                page[i] ??= built.GetValueOrDefault(keys[i].Seq);
            }
        }

        var json = new List<RawJson>(keys.Count);
        foreach (var bytes in page)
        {
            if (bytes is not null)
            {
                json.Add(new RawJson(bytes));
            }
        }

        return json;
    }

    private async Task<Dictionary<long, byte[]>> BuildAsync(
        TesseraDbContext db, int stackId, List<long> seqs, string baseUrl, long generation, CancellationToken ct)
    {
        var (tiles, tags) = await TileReader.LoadAsync(db, stackId, seqs, ct);
        var wires = await TileReader.ToWireAsync(db, stackId, tiles, baseUrl, ct, tags);
        var built = new Dictionary<long, byte[]>(tiles.Count);
        for (var i = 0; i < tiles.Count; i++)
        {
            var tile = tiles[i];
            var bytes = WireJson.ToUtf8Bytes(wires[i]);
            built[tile.Seq] = bytes;
            // The version of the row these bytes were made from, not of the key read before it.
            var entry = new TileJson(tile.ObjectId, tile.Version, generation, baseUrl, bytes);
            _tiles.Set(tile.Seq, entry, new MemoryCacheEntryOptions { Size = bytes.Length + EntryOverhead, AbsoluteExpirationRelativeToNow = MaxAge });
        }

        return built;
    }

    public void Dispose() => _tiles.Dispose();

    private sealed record TileJson(string ObjectId, int Version, long Generation, string BaseUrl, byte[] Utf8)
    {
        public bool IsValidFor(TileKey key, long generation, string baseUrl) =>
            Version == key.Version && Generation == generation
            && string.Equals(ObjectId, key.ObjectId, StringComparison.Ordinal) && string.Equals(BaseUrl, baseUrl, StringComparison.Ordinal);
    }
}
