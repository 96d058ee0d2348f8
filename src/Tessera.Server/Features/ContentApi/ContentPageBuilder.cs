using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Caching;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Filters;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.ContentApi;

/// <summary>
/// Builds a Content API page from the database: the effective filter (the request's
/// <c>filter_id</c> if it names a filter of the stack, else the plugin's, else all content newest
/// first), narrowed by tags, brands and categories (all of the given parameters, any item of each),
/// published tiles only, serialized once with its cache lifetime.
/// </summary>
public static class ContentPageBuilder
{
    public const int BasicMaxAgeSeconds = 180;

    public const int ComplexMaxAgeSeconds = 360;

    public static async Task<CachedPage> BuildAsync(
        TesseraDbContext db, PluginSnapshot plugin, ContentQuery query, string baseUrl, long generation, DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var stackId = plugin.StackId;
        var requested = query.FilterId is { } filterId ? await FindFilterAsync(db, stackId, filterId, ct) : null;
        var filter = requested ?? (plugin.FilterId is { } configured ? await FindFilterAsync(db, stackId, configured, ct) : null) ?? AllContent(stackId);
        var tagSets = await TagSetsAsync(db, stackId, query, ct);
        var complex = query.HasContentOverrides(requested is not null);
        var (limit, page) = query.Window(complex);

        List<PublicTileWire> tiles = [];
        if (tagSets.All(set => set.Count > 0))
        {
            var (found, tags) = await new FilterQuery(db, filter, TileStatus.Published, null, tagSets).PageAsync((page - 1) * limit, limit, ct);
            var publicTags = tags.Values.Where(t => t.PubliclyVisible).ToDictionary(t => t.Id, PublicTagWire.From);
            tiles = [.. found.Select(t => PublicTileWire.From(t, publicTags, baseUrl))];
        }

        var maxAge = complex ? ComplexMaxAgeSeconds : BasicMaxAgeSeconds;
        return new CachedPage(Serialize(new PublicContentBody(tiles, [])), maxAge, generation, now);
    }

    public static byte[] Serialize(PublicContentBody body) =>
        JsonSerializer.SerializeToUtf8Bytes(body, WireJson.Options.GetTypeInfo(typeof(PublicContentBody)));

    private static Task<Filter?> FindFilterAsync(TesseraDbContext db, int stackId, int filterId, CancellationToken ct) =>
        db.Filters.AsNoTracking().FirstOrDefaultAsync(f => f.StackId == stackId && f.Id == filterId, ct);

    /// <summary>What "Latest" is: every published tile, newest first.</summary>
    private static Filter AllContent(int stackId) => new() { StackId = stackId, Name = "Latest", Sort = "source_created_at_desc" };

    /// <summary>
    /// One tag-id set per given parameter: <c>tags</c> (ids of this stack and <c>ext:</c> product ids),
    /// <c>brands</c> and <c>categories</c> (product tags with that brand or category). A set can be
    /// empty when nothing matches; the page is then empty too (no fallback content).
    /// </summary>
    private static async Task<List<IReadOnlyList<int>>> TagSetsAsync(TesseraDbContext db, int stackId, ContentQuery query, CancellationToken ct)
    {
        var sets = new List<IReadOnlyList<int>>();
        var tags = db.Tags.AsNoTracking().Where(t => t.StackId == stackId);
        if (query.TagIds.Count > 0 || query.ExtTags.Count > 0)
        {
            var ids = query.TagIds;
            var ext = query.ExtTags;
            sets.Add(await tags.Where(t => ids.Contains(t.Id) || (t.ExtProductId != null && ext.Contains(t.ExtProductId))).Select(t => t.Id).ToListAsync(ct));
        }

        var products = tags.Where(t => t.Type == "product");
        if (query.Brands.Count > 0)
        {
            // Compared here, not in SQL: SQLite's lower() folds ASCII letters only.
            var branded = await products.Where(t => t.Brand != "").Select(t => new { t.Id, t.Brand }).ToListAsync(ct);
            sets.Add([.. branded.Where(p => query.Brands.Contains(p.Brand.ToLowerInvariant())).Select(p => p.Id)]);
        }

        if (query.Categories.Count > 0)
        {
            // Categories are a JSON list per product: read only products that have any, match here.
            var categorized = await products.Where(t => t.CategoriesJson != "[]").Select(t => new { t.Id, t.CategoriesJson }).ToListAsync(ct);
            sets.Add([.. categorized.Where(p => Categories(p.CategoriesJson).Any(query.Categories.Contains)).Select(p => p.Id)]);
        }

        return sets;
    }

    private static IEnumerable<string> Categories(string json) =>
        (JsonSerializer.Deserialize<List<string>>(json) ?? []).Select(c => c.ToLowerInvariant());
}
