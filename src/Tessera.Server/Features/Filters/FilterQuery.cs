using Microsoft.EntityFrameworkCore;
using Tessera.Server.Data;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.Filters;

/// <summary>
/// The tiles a filter matches (decisions §2.11), a page at a time. Each page is read in two steps: the
/// sequence numbers of the page from one index range, then those tiles by primary key. A filter with one
/// tag and the "latest" sort reads <c>tile_tags</c> (tag, status, source time, seq); a filter without tags
/// reads the tiles index of its sort; other tag filters use the tiles index with a tag test per row.
/// <paramref name="alsoTagged"/> narrows further (the Content API's <c>tags</c>, <c>brands</c> and
/// <c>categories</c>): a tile must carry a tag of every one of those sets too. For a filter without
/// tags the first of those sets takes the place of the filter's tags, so one tag still reads one range.
/// </summary>
public sealed class FilterQuery(TesseraDbContext db, Filter filter, TileStatus status, long? afterSeq, IReadOnlyList<IReadOnlyList<int>>? alsoTagged = null)
{
    public static readonly IReadOnlyList<string> Sorts = ["source_created_at_desc", "score_desc", "votes", "votes_desc", "random"];

    /// <summary>The tags a tile needs one of: the filter's, or the first narrowing set for a filter without tags.</summary>
    private readonly IReadOnlyList<int> _tagIds = filter.TagIds.Count > 0 || alsoTagged is not { Count: > 0 } ? filter.TagIds : alsoTagged[0];

    /// <summary>The narrowing sets not already in <see cref="_tagIds"/>.</summary>
    private readonly IReadOnlyList<IReadOnlyList<int>> _alsoTagged =
        alsoTagged is not { Count: > 0 } ? [] : filter.TagIds.Count > 0 ? alsoTagged : [.. alsoTagged.Skip(1)];

    private bool HasTileCriteria =>
        filter.Networks.Count > 0 || filter.Media.Count > 0 || filter.FilterByClaimed != "no" || _alsoTagged.Count > 0;

    /// <summary>The page's tiles in filter order, their tags loaded (and returned by id).</summary>
    public async Task<(List<Tile> Tiles, Dictionary<int, Tag> Tags)> PageAsync(int skip, int take, CancellationToken ct)
    {
        // One statement: the page's sequence numbers come from an index range (a subquery with
        // LIMIT/OFFSET), the tiles by primary key; the page is then put back in sort order here.
        var tiles = await PageTiles(skip, take).ToListAsync(ct);
        tiles.Sort((a, b) => Comparison(TileKey.Of(a), TileKey.Of(b)));
        return (tiles, await TileReader.LoadTagsAsync(db, tiles, ct));
    }

    /// <summary>
    /// The page's tiles in filter order as keys only (what tells a tile's version apart and sorts it):
    /// the same statement as <see cref="PageAsync"/> without the wide rows, for pages built from the
    /// tile JSON cache.
    /// </summary>
    public async Task<List<TileKey>> PageKeysAsync(int skip, int take, CancellationToken ct)
    {
        var keys = await PageTiles(skip, take)
            .Select(t => new TileKey(t.Seq, t.ObjectId, t.Version, t.SourceCreatedAt, t.Score, t.Votes, t.RandomKey))
            .ToListAsync(ct);
        keys.Sort(Comparison);
        return keys;
    }

    /// <summary>The page's tiles by primary key, in no order: the page's sequence numbers come from an index range (<see cref="SeqPage"/>).</summary>
    private IQueryable<Tile> PageTiles(int skip, int take)
    {
        var page = SeqPage(skip, take);
        var stackId = filter.StackId;
        return db.Tiles.AsNoTracking().Where(t => t.StackId == stackId && page.Contains(t.Seq));
    }

    /// <summary>The order of <see cref="SeqPage"/>, in memory.</summary>
    private int Comparison(TileKey a, TileKey b) => SortKind switch
    {
        "score" => Descending(a.Score, b.Score, a.Seq, b.Seq),
        "votes" => Descending(a.Votes, b.Votes, a.Seq, b.Seq),
        "random" => a.RandomKey != b.RandomKey ? a.RandomKey.CompareTo(b.RandomKey) : a.Seq.CompareTo(b.Seq),
        _ => Descending(a.SourceCreatedAt, b.SourceCreatedAt, a.Seq, b.Seq),
    };

    private static int Descending<T>(T a, T b, long seqA, long seqB)
        where T : IComparable<T> =>
        a.CompareTo(b) is var byKey and not 0 ? -byKey : seqB.CompareTo(seqA);

    /// <summary>How many tiles match (the <c>quantity</c> of summaries).</summary>
    public Task<long> CountAsync(CancellationToken ct) =>
        IsSingleTagRange ? TagRows().LongCountAsync(ct) : MatchingTiles().LongCountAsync(ct);

    private bool IsSingleTagRange => _tagIds.Count == 1 && !HasTileCriteria && afterSeq is null;

    private IQueryable<long> SeqPage(int skip, int take)
    {
        if (_tagIds.Count == 1 && SortKind == "latest")
        {
            // The fast path: one range of (TagId, Status, SourceCreatedAt, TileSeq), walked backwards.
            var rows = TagRows();
            if (HasTileCriteria || afterSeq is not null)
            {
                var matching = MatchingTilesBesidesFilterTags();
                rows = rows.Where(tt => matching.Any(t => t.Seq == tt.TileSeq));
            }

            return rows.OrderByDescending(tt => tt.SourceCreatedAt).ThenByDescending(tt => tt.TileSeq)
                .Skip(skip).Take(take).Select(tt => tt.TileSeq);
        }

        var tiles = MatchingTiles();
        var sorted = SortKind switch
        {
            "score" => tiles.OrderByDescending(t => t.Score).ThenByDescending(t => t.Seq),
            "votes" => tiles.OrderByDescending(t => t.Votes).ThenByDescending(t => t.Seq),
            // A stable shuffle: every tile drew a random key at ingestion, so pages never overlap.
            "random" => tiles.OrderBy(t => t.RandomKey).ThenBy(t => t.Seq),
            _ => tiles.OrderByDescending(t => t.SourceCreatedAt).ThenByDescending(t => t.Seq),
        };
        return sorted.Skip(skip).Take(take).Select(t => t.Seq);
    }

    private string SortKind => filter.Sort switch
    {
        "score_desc" => "score",
        "votes" or "votes_desc" => "votes",
        "random" => "random",
        _ => "latest",
    };

    private IQueryable<TileTag> TagRows()
    {
        var tagId = _tagIds[0];
        return db.TileTags.Where(tt => tt.TagId == tagId && tt.Status == status);
    }

    private IQueryable<Tile> MatchingTiles()
    {
        var tiles = MatchingTilesBesidesFilterTags();
        if (_tagIds.Count > 0)
        {
            var tagIds = _tagIds;
            tiles = tiles.Where(t => db.TileTags.Any(tt => tt.TileSeq == t.Seq && tagIds.Contains(tt.TagId)));
        }

        return tiles;
    }

    private IQueryable<Tile> MatchingTilesBesidesFilterTags()
    {
        var stackId = filter.StackId;
        var tiles = db.Tiles.Where(t => t.StackId == stackId && t.Status == status);
        if (filter.Networks.Count > 0)
        {
            var networks = filter.Networks;
            tiles = tiles.Where(t => networks.Contains(t.Source));
        }

        if (filter.Media.Count > 0)
        {
            var media = filter.Media;
            tiles = tiles.Where(t => media.Contains(t.Media));
        }

        tiles = filter.FilterByClaimed switch
        {
            "claimed_only" => tiles.Where(t => t.Claimed),
            "unclaimed_only" => tiles.Where(t => !t.Claimed),
            _ => tiles,
        };
        if (afterSeq is { } after)
        {
            tiles = tiles.Where(t => t.Seq > after);
        }

        foreach (var tagSet in _alsoTagged)
        {
            tiles = tiles.Where(t => db.TileTags.Any(tt => tt.TileSeq == t.Seq && tagSet.Contains(tt.TagId)));
        }

        return tiles;
    }
}

/// <summary>What a page needs of a tile besides its content: its keys, its version and the columns filters sort by.</summary>
public readonly record struct TileKey(long Seq, string ObjectId, int Version, long SourceCreatedAt, double Score, int Votes, int RandomKey)
{
    public static TileKey Of(Tile tile) => new(tile.Seq, tile.ObjectId, tile.Version, tile.SourceCreatedAt, tile.Score, tile.Votes, tile.RandomKey);
}
