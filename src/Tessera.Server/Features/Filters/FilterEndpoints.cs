using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Caching;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.Filters;

/// <summary>The Filters API (reference §2.3, decisions §2.11): <c>/api/filters</c>, with content and summaries.</summary>
public static class FilterEndpoints
{
    private const ApiResource Resource = ApiResource.Filters;

    public static void MapFilters(this IEndpointRouteBuilder routes)
    {
        var filters = routes.MapGroup("/api/filters").RequireApiAccess(ApiArea.Filters, Resource).WithTags("Filters");
        filters.MapGet("/", ListFilters).WithSummary("List filters");
        filters.MapPost("/", CreateFilter).WithSummary("Create a filter");
        filters.MapGet("/{filterId:int}", GetFilter).WithSummary("Get a filter");
        filters.MapPut("/{filterId:int}", UpdateFilter).WithSummary("Update a filter");
        filters.MapDelete("/{filterId:int}", DeleteFilter).WithSummary("Delete a filter; returns the deleted filter");
        filters.MapGet("/{filterId:int}/content", GetContent).WithSummary("The tiles a filter matches, a page at a time");
        filters.MapGet("/{filterId:int}/summaries", GetSummaries).WithSummary("How many tiles a filter matches");
    }

    public static async Task<IResult> ListFilters(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var paging = Paging.Read(f);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var page = await db.Filters.AsNoTracking().Where(x => x.StackId == caller.StackId)
            .OrderBy(x => x.Id).Skip(paging.Skip).Take(paging.Limit).ToListAsync(ct);
        return ApiResults.Ok(page.Select(FilterWire.From).ToList());
    }

    public static async Task<IResult> CreateFilter(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var filter = new Filter { StackId = caller.StackId, Name = string.Empty, Sort = "source_created_at_desc", CreatedAt = now, UpdatedAt = now };
        var f = new FieldReader(parameters, Resource);
        FilterInput.Apply(f, filter, isCreate: true);
        await ApplyTagsAsync(f, filter, db, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        db.Filters.Add(filter);
        await db.SaveChangesAsync(ct);
        return ApiResults.Ok(FilterWire.From(filter));
    }

    public static async Task<IResult> GetFilter(int filterId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var filter = await Find(db, caller, filterId, tracked: false, ct);
        return filter is null ? NotFound() : ApiResults.Ok(FilterWire.From(filter));
    }

    public static async Task<IResult> UpdateFilter(int filterId, ApiCaller caller, ApiParameters parameters, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var filter = await Find(db, caller, filterId, tracked: true, ct);
        if (filter is null)
        {
            return NotFound();
        }

        var f = new FieldReader(parameters, Resource);
        FilterInput.Apply(f, filter, isCreate: false);
        await ApplyTagsAsync(f, filter, db, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        filter.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        filter.Version++;
        return await SaveAsync(db, filter, ct);
    }

    public static async Task<IResult> DeleteFilter(int filterId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var filter = await Find(db, caller, filterId, tracked: true, ct);
        if (filter is null)
        {
            return NotFound();
        }

        db.Filters.Remove(filter);
        return await SaveAsync(db, filter, ct);
    }

    /// <summary>
    /// A page of tiles. With the tile JSON cache on, the page's keys are read first and only tiles
    /// whose stored JSON is no longer valid are read whole; with it off, the whole page is read.
    /// </summary>
    public static async Task<IResult> GetContent(
        int filterId, ApiCaller caller, ApiParameters parameters, HttpRequest request, TesseraDbContext db, TileJsonCache tileJson, CancellationToken ct)
    {
        // A page takes several queries; one connection for all of them spares a pool round trip each.
        await db.Database.OpenConnectionAsync(ct);
        var filter = await Find(db, caller, filterId, tracked: false, ct);
        if (filter is null)
        {
            return NotFound();
        }

        var f = new FieldReader(parameters, Resource);
        var paging = Paging.Read(f);
        var (status, afterSeq) = await ReadContentScopeAsync(f, db, caller.StackId, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var query = new FilterQuery(db, filter, status, afterSeq);
        var baseUrl = TileReader.BaseUrl(request);
        if (tileJson.Enabled)
        {
            var keys = await query.PageKeysAsync(paging.Skip, paging.Limit, ct);
            return ApiResults.Ok(await tileJson.PageAsync(db, caller.StackId, keys, baseUrl, ct));
        }

        var (tiles, tags) = await query.PageAsync(paging.Skip, paging.Limit, ct);
        return ApiResults.Ok(await TileReader.ToWireAsync(db, caller.StackId, tiles, baseUrl, ct, tags));
    }

    public static async Task<IResult> GetSummaries(int filterId, ApiCaller caller, ApiParameters parameters, TesseraDbContext db, CancellationToken ct)
    {
        var filter = await Find(db, caller, filterId, tracked: false, ct);
        if (filter is null)
        {
            return NotFound();
        }

        var f = new FieldReader(parameters, Resource);
        var aggregation = f.Enum("aggregated_by", ["default", "geohash"]);
        var (status, afterSeq) = await ReadContentScopeAsync(f, db, caller.StackId, ct);
        if (aggregation == "geohash")
        {
            f.AddError("aggregated_by", "geohash aggregation is not supported; use default", "not_supported");
        }

        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var quantity = await new FilterQuery(db, filter, status, afterSeq).CountAsync(ct);
        return ApiResults.Ok(new[] { new FilterSummary(filter.Id, TileRules.ToWire(status), quantity) });
    }

    /// <summary>Reads <c>status</c> (published by default) and <c>since_id</c>, which must name a tile of the stack.</summary>
    private static async Task<(TileStatus Status, long? AfterSeq)> ReadContentScopeAsync(FieldReader f, TesseraDbContext db, int stackId, CancellationToken ct)
    {
        var status = TileRules.ParseStatus(f.Enum("status", TileRules.Statuses, TileRules.StatusAliases) ?? "published");
        var sinceId = f.String("since_id", 64);
        if (string.IsNullOrEmpty(sinceId))
        {
            return (status, null);
        }

        if (!ObjectIds.IsValid(sinceId))
        {
            f.AddError("since_id", "must be a 24-character tile id");
            return (status, null);
        }

        var id = sinceId.ToLowerInvariant();
        var seq = await db.Tiles.Where(t => t.StackId == stackId && t.ObjectId == id).Select(t => (long?)t.Seq).FirstOrDefaultAsync(ct);
        if (seq is null)
        {
            f.AddError("since_id", $"no tile {sinceId} in this stack", "tile_not_found");
        }

        return (status, seq);
    }

    private static async Task ApplyTagsAsync(FieldReader f, Filter filter, TesseraDbContext db, CancellationToken ct)
    {
        var tagIds = f.IdList("tags", FilterInput.MaxTags);
        await TagLookup.CheckExistAsync(db, filter.StackId, "tags", tagIds, f, ct);
        if (tagIds is not null)
        {
            filter.TagIds = [.. tagIds.Distinct()];
        }
    }

    private static Task<Filter?> Find(TesseraDbContext db, ApiCaller caller, int filterId, bool tracked, CancellationToken ct)
    {
        var filters = tracked ? db.Filters : db.Filters.AsNoTracking();
        return filters.FirstOrDefaultAsync(x => x.StackId == caller.StackId && x.Id == filterId, ct);
    }

    private static async Task<IResult> SaveAsync(TesseraDbContext db, Filter filter, CancellationToken ct) =>
        await db.TrySaveAsync(ct) is var outcome && outcome == SaveOutcome.Saved
            ? ApiResults.Ok(FilterWire.From(filter))
            : ApiResults.SaveFailed(Resource, "filter", outcome);

    private static IResult NotFound() => ApiResults.NotFound(Resource, "filter");
}
