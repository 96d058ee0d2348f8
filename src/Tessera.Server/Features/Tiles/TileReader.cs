using Microsoft.EntityFrameworkCore;
using Tessera.Server.Data;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Terms;

namespace Tessera.Server.Features.Tiles;

/// <summary>Reads tiles of a stack and turns pages of them into wire objects with their tags and terms.</summary>
public static class TileReader
{
    /// <summary>Finds a tile by <c>{24-hex id}</c>, <c>guid:{guid}</c> or <c>sta_feed_id:{id}</c>; null when the form is invalid or nothing matches.</summary>
    public static async Task<Tile?> FindAsync(TesseraDbContext db, int stackId, string tileId, bool tracked, CancellationToken ct)
    {
        var tiles = (tracked ? db.Tiles : db.Tiles.AsNoTracking()).Include(t => t.Tags).Where(t => t.StackId == stackId);
        Tile? tile;
        if (tileId.StartsWith("guid:", StringComparison.Ordinal) && tileId.Length > 5)
        {
            var guid = tileId[5..];
            // A client-given guid or the generated sta_feed_id (the SDK looks tiles up by guid:{sta_feed_id}).
            tile = await tiles.FirstOrDefaultAsync(t => t.Guid == guid, ct) ?? await tiles.FirstOrDefaultAsync(t => t.StaFeedId == guid, ct);
        }
        else if (tileId.StartsWith("sta_feed_id:", StringComparison.Ordinal) && tileId.Length > 12)
        {
            var staFeedId = tileId[12..];
            tile = await tiles.FirstOrDefaultAsync(t => t.StaFeedId == staFeedId, ct);
        }
        else if (ObjectIds.IsValid(tileId))
        {
            var id = tileId.ToLowerInvariant();
            tile = await tiles.FirstOrDefaultAsync(t => t.ObjectId == id, ct);
        }
        else
        {
            return null;
        }

        return tile;
    }

    /// <summary>
    /// Fills <see cref="Tile.Tags"/> of tiles read without them and returns those tags by id: one query
    /// for links and tags together.
    /// </summary>
    public static async Task<Dictionary<int, Tag>> LoadTagsAsync(TesseraDbContext db, IReadOnlyList<Tile> tiles, CancellationToken ct)
    {
        var tags = new Dictionary<int, Tag>();
        if (tiles.Count == 0)
        {
            return tags;
        }

        var bySeq = tiles.ToDictionary(t => t.Seq);
        var seqs = bySeq.Keys.ToList();
        var rows = await db.TileTags.AsNoTracking().Where(tt => seqs.Contains(tt.TileSeq))
            .Join(db.Tags.AsNoTracking(), tt => tt.TagId, tag => tag.Id, (link, tag) => new { link, tag })
            .ToListAsync(ct);
        foreach (var tile in tiles)
        {
            tile.Tags.Clear();
        }

        foreach (var row in rows)
        {
            bySeq[row.link.TileSeq].Tags.Add(row.link);
            tags.TryAdd(row.tag.Id, row.tag);
        }

        return tags;
    }

    /// <summary>The tiles of a stack with these sequence numbers (in no order), their tags loaded, and those tags by id.</summary>
    public static async Task<(List<Tile> Tiles, Dictionary<int, Tag> Tags)> LoadAsync(TesseraDbContext db, int stackId, IReadOnlyList<long> seqs, CancellationToken ct)
    {
        var tiles = await db.Tiles.AsNoTracking().Where(t => t.StackId == stackId && seqs.Contains(t.Seq)).ToListAsync(ct);
        return (tiles, await LoadTagsAsync(db, tiles, ct));
    }

    /// <summary>
    /// Wire objects for tiles whose tags are loaded, with their terms looked up in one query; the tags
    /// too unless <paramref name="tags"/> already holds them (as <see cref="LoadTagsAsync"/> returns them), and the
    /// terms unless <paramref name="terms"/> does.
    /// </summary>
    public static async Task<List<TileWire>> ToWireAsync(
        TesseraDbContext db, int stackId, IReadOnlyList<Tile> tiles, string baseUrl, CancellationToken ct,
        IReadOnlyDictionary<int, Tag>? tags = null, IReadOnlyDictionary<int, Term>? terms = null)
    {
        tags ??= await TagLookup.LoadAsync(db, stackId, tiles.SelectMany(t => t.TagIds), ct);
        // One wire object per tag, shared by every tile of the page that carries it.
        var tagWires = tags.ToDictionary(p => p.Key, p => TagWire.From(p.Value));
        var termIds = tiles.Where(t => t.TermId is not null).Select(t => t.TermId!.Value).Distinct().ToList();
        terms ??= termIds.Count == 0
            ? []
            : await db.Terms.AsNoTracking().Where(t => t.StackId == stackId && termIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        return [.. tiles.Select(t => TileWire.From(t, tagWires, terms, baseUrl))];
    }

    /// <summary>The scheme, host and path base of a request: what stored <c>/media/</c> paths are made absolute with.</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
