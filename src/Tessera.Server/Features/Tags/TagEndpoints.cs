using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.Tags;

/// <summary>The Tags API (reference §2.2): <c>/api/tags</c>.</summary>
public static class TagEndpoints
{
    private const ApiResource Resource = ApiResource.Tags;

    public static void MapTags(this IEndpointRouteBuilder routes)
    {
        var tags = routes.MapGroup("/api/tags").RequireApiAccess(ApiArea.Tags, Resource).WithTags("Tags");
        tags.MapGet("/", ListTags).WithSummary("List tags, optionally searched by keyword and filtered by type");
        tags.MapPost("/", CreateTag).WithSummary("Create a tag");
        tags.MapGet("/{tagId}", GetTag).WithSummary("Get a tag by id or ext:{ext_product_id}");
        tags.MapPut("/{tagId}", UpdateTag).WithSummary("Update a tag");
        tags.MapDelete("/{tagId}", DeleteTag).WithSummary("Delete a tag; returns the deleted tag");
        tags.MapGet("/{tagId}/summaries", GetTagSummaries).WithSummary("Tile counts of a tag");
    }

    public static async Task<IResult> ListTags(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var paging = Paging.Read(f);
        var keyword = f.String("keyword", 255);
        var types = f.EnumList("type", TagRules.AllTypes);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var stackTags = db.Tags.AsNoTracking().Where(t => t.StackId == caller.StackId);
        var query = types is { Count: > 0 } ? stackTags.Where(t => types.Contains(t.Type)) : stackTags;
        if (!string.IsNullOrEmpty(keyword))
        {
            query = MatchKeyword(query, keyword);
        }

        var page = await query.OrderBy(t => t.Id).Skip(paging.Skip).Take(paging.Limit).ToListAsync(ct);
        var wire = page.Select(TagWire.From).ToList();
        if (string.IsNullOrEmpty(keyword))
        {
            return ApiResults.Ok(wire);
        }

        return ApiResults.Ok(wire, await query.LongCountAsync(ct), await stackTags.LongCountAsync(ct));
    }

    public static async Task<IResult> CreateTag(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var tag = new Tag
        {
            StackId = caller.StackId,
            Name = string.Empty,
            NormalizedName = string.Empty,
            Slug = string.Empty,
            Type = "content",
            PubliclyVisible = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var f = new FieldReader(parameters, Resource);
        TagInput.Apply(f, tag, isCreate: true);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        db.Tags.Add(tag);
        return await SaveUnique(db, tag, ct);
    }

    public static async Task<IResult> GetTag(string tagId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var (tag, error) = await FindTag(db, caller, tagId, tracked: false, ct);
        return tag is null ? error! : ApiResults.Ok(TagWire.From(tag));
    }

    public static async Task<IResult> UpdateTag(string tagId, ApiCaller caller, ApiParameters parameters, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var (tag, error) = await FindTag(db, caller, tagId, tracked: true, ct);
        if (tag is null)
        {
            return error!;
        }

        if (tag.SystemTag)
        {
            return SystemTagReadOnly();
        }

        var f = new FieldReader(parameters, Resource);
        TagInput.Apply(f, tag, isCreate: false);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        tag.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        return await SaveUnique(db, tag, ct);
    }

    public static async Task<IResult> DeleteTag(string tagId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var (tag, error) = await FindTag(db, caller, tagId, tracked: true, ct);
        if (tag is null)
        {
            return error!;
        }

        if (tag.SystemTag)
        {
            return SystemTagReadOnly();
        }

        // The tag leaves every tile (tile_tags rows cascade), filter and term of the stack with it.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var id = tag.Id;
        foreach (var filter in await db.Filters.Where(x => x.StackId == caller.StackId && x.TagIds.Contains(id)).ToListAsync(ct))
        {
            filter.TagIds.Remove(id);
            filter.Version++;
        }

        foreach (var term in await db.Terms.Where(x => x.StackId == caller.StackId && x.TagIds.Contains(id)).ToListAsync(ct))
        {
            term.TagIds.Remove(id);
            term.Version++;
        }

        db.Tags.Remove(tag);
        if (await db.TrySaveAsync(ct) != SaveOutcome.Saved)
        {
            return await db.Tags.AnyAsync(t => t.Id == id, ct)
                ? Conflict("concurrent_update", "a filter or term using this tag was changed at the same time; try again")
                : ApiResults.NotFound(Resource, "tag"); // deleted by a concurrent request
        }

        await transaction.CommitAsync(ct);

        return ApiResults.Ok(TagWire.From(tag));
    }

    public static async Task<IResult> GetTagSummaries(string tagId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var (tag, error) = await FindTag(db, caller, tagId, tracked: false, ct);
        if (tag is null)
        {
            return error!;
        }

        var published = await db.TileTags.LongCountAsync(tt => tt.TagId == tag.Id && tt.Status == TileStatus.Published, ct);
        return ApiResults.Ok(new[] { new TagSummary(tag.Id, published) });
    }

    /// <summary>Keyword search over id, name, slug and custom URL; <c>ext:X</c> matches the external product id.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1862", Justification = "ToLower().Contains translates to SQL the same way on SQLite and PostgreSQL; a StringComparison overload does not translate.")]
    private static IQueryable<Tag> MatchKeyword(IQueryable<Tag> query, string keyword)
    {
        if (keyword.StartsWith("ext:", StringComparison.OrdinalIgnoreCase))
        {
            var ext = keyword[4..];
            return query.Where(t => t.ExtProductId == ext);
        }

        var lower = keyword.ToLowerInvariant();
        var id = int.TryParse(keyword, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return query.Where(t => t.Id == id || t.NormalizedName.Contains(lower) || t.Slug.ToLower().Contains(lower) || t.CustomUrl.ToLower().Contains(lower));
    }

    /// <summary>Finds a tag of the caller's stack by numeric id or <c>ext:{ext_product_id}</c>.</summary>
    private static async Task<(Tag? Tag, IResult? Error)> FindTag(TesseraDbContext db, ApiCaller caller, string tagId, bool tracked, CancellationToken ct)
    {
        var tags = tracked ? db.Tags : db.Tags.AsNoTracking();
        Tag? tag;
        if (tagId.StartsWith("ext:", StringComparison.OrdinalIgnoreCase) && tagId.Length > 4)
        {
            var ext = tagId[4..];
            tag = await tags.FirstOrDefaultAsync(t => t.StackId == caller.StackId && t.ExtProductId == ext, ct);
        }
        else if (int.TryParse(tagId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            tag = await tags.FirstOrDefaultAsync(t => t.StackId == caller.StackId && t.Id == id, ct);
        }
        else
        {
            return (null, ApiResults.Error(Resource, 400, "invalid_id", "tag id must be a positive integer or ext:{ext_product_id}"));
        }

        return tag is null ? (null, ApiResults.NotFound(Resource, "tag")) : (tag, null);
    }

    /// <summary>Saves a created or updated tag, answering 409 when its name or product id is taken in the stack.</summary>
    private static async Task<IResult> SaveUnique(TesseraDbContext db, Tag tag, CancellationToken ct)
    {
        if (await db.Tags.AnyAsync(t => t.StackId == tag.StackId && t.Id != tag.Id && t.NormalizedName == tag.NormalizedName, ct))
        {
            return Conflict("name_exists", $"a tag named '{tag.Name}' already exists in this stack");
        }

        if (tag.ExtProductId is not null && await db.Tags.AnyAsync(t => t.StackId == tag.StackId && t.Id != tag.Id && t.ExtProductId == tag.ExtProductId, ct))
        {
            return Conflict("ext_product_id_exists", $"a tag with ext_product_id '{tag.ExtProductId}' already exists in this stack");
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiResults.NotFound(Resource, "tag"); // deleted by a concurrent request
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return Conflict("name_exists", "a tag with this name or ext_product_id already exists in this stack");
        }

        return ApiResults.Ok(TagWire.From(tag));
    }

    private static IResult Conflict(string reason, string message) => ApiResults.Error(Resource, 409, reason, message);

    private static IResult SystemTagReadOnly() =>
        ApiResults.Error(Resource, 403, "system_tag_read_only", "system tags are managed by Tessera and cannot be changed or deleted");
}
