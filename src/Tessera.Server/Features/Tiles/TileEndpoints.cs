using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Rules;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Terms;

namespace Tessera.Server.Features.Tiles;

/// <summary>The Tiles API (reference §2.1, decisions §2.10): <c>/api/tiles</c>. Tiles are listed through filter content.</summary>
public static class TileEndpoints
{
    private const ApiResource Resource = ApiResource.Tiles;

    public static void MapTiles(this IEndpointRouteBuilder routes)
    {
        var tiles = routes.MapGroup("/api/tiles").RequireApiAccess(ApiArea.Tiles, Resource).WithTags("Tiles");
        tiles.MapPost("/", CreateTile).WithSummary("Post a tile through a UGC Post Feed term (ingested synchronously); multipart may carry an image file");
        tiles.MapGet("/{tileId}", GetTile).WithSummary("Get a tile by id, guid:{guid} or sta_feed_id:{id}");
        tiles.MapPut("/{tileId}", UpdateTile).WithSummary("Moderate, tag or edit a tile");
        tiles.MapDelete("/{tileId}", DeleteTile).WithSummary("Disable a tile (there is no hard delete); returns the tile");
    }

    public static async Task<IResult> CreateTile(
        ApiCaller caller, ApiParameters parameters, HttpRequest request, TesseraDbContext db, TileMediaIngestor media, TileWriter writer,
        RuleBook rules, TimeProvider time, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var termId = f.Int("term_id", 1);
        var term = await FindPostTermAsync(db, caller.StackId, termId, f, ct);
        var tile = new Tile
        {
            ObjectId = string.Empty,
            Source = "sta_feed",
            SourceId = string.Empty,
            SourceUniqueId = string.Empty,
            Guid = string.Empty,
            Media = f.Enum("media", TileRules.MediaKinds) ?? string.Empty,
            Anonymous = f.Bool("anonymous") ?? false,
        };
        TileInput.ReadContent(f, tile);
        TileInput.ReadCommon(f, tile);
        var guid = f.String("guid", TileRules.MaxIdLength);
        var status = f.Enum("status", TileRules.Statuses, TileRules.StatusAliases);
        var tagIds = f.IdList("tags", TileRules.MaxTags) ?? [];
        // One query for the posted tags and the term's default tags: it checks them and gives the answer's tags_extended.
        var tags = await TagLookup.LoadAsync(db, caller.StackId, tagIds.Concat(term?.TagIds ?? []), ct);
        TagLookup.ReportMissing(f, "tags", tagIds.Where(id => !tags.ContainsKey(id)));

        // A default tag deleted since the term was set is simply no longer applied.
        var defaultTags = term is null ? [] : term.TagIds.Where(tags.ContainsKey).ToList();

        var upload = TileMediaIngestor.FindUpload(parameters, f);
        if (upload is null && tile.ImageUrl is null && tile.VideoUrl is null && tile.Html.Length == 0)
        {
            f.Require("message", tile.Message);
        }

        if (!string.IsNullOrEmpty(guid) && await db.Tiles.AnyAsync(t => t.StackId == caller.StackId && (t.Guid == guid || t.StaFeedId == guid), ct))
        {
            return GuidTaken(guid);
        }

        if (f.HasErrors || term is null)
        {
            return ApiResults.Invalid(f);
        }

        var staFeedId = Guid.CreateVersion7().ToString("N");
        tile.StaFeedId = staFeedId;
        tile.SourceId = staFeedId;
        tile.SourceUniqueId = $"sta_feed:{staFeedId}";
        tile.Guid = string.IsNullOrEmpty(guid) ? staFeedId : guid;
        var now = time.GetUtcNow();
        if (upload is not null)
        {
            tile.Media = string.IsNullOrEmpty(tile.Media) ? "image" : tile.Media;
        }

        if (!TileIngestion.Prepare(tile, term, defaultTags, status, tagIds, now))
        {
            return ApiResults.Error(Resource, 400, "excluded_by_term", $"term {term.Id} excludes {tile.Media} posts (moderate_{tile.Media} = exclude)");
        }

        TileInput.CheckMedia(f, tile);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var stored = upload is null ? null : await media.StoreAsync(tile, upload, ct);
        if (stored is { Error: { } rejected })
        {
            return rejected;
        }

        SaveOutcome outcome;
        try
        {
            // The stack's automation rules run before the tile is stored: the stored tile, this answer and
            // every later event show their effects.
            await RuleRunner.RunOnNewTilesAsync(rules, db, term, [tile], tags.Values, now, ct);
            outcome = await writer.AddAsync(tile, ct);
        }
        catch
        {
            await media.DiscardAsync(stored, CancellationToken.None);
            throw;
        }

        if (outcome != SaveOutcome.Saved)
        {
            await media.DiscardAsync(stored, CancellationToken.None);
            return outcome == SaveOutcome.Duplicate ? GuidTaken(tile.Guid) : SaveFailed(outcome, tile.ObjectId);
        }

        await NoteIngestionAsync(db, term, now, ct);
        // Rules may have added tags the request did not name: only then are the tags read again for the answer.
        var known = tile.TagIds.All(tags.ContainsKey) ? tags : null;
        var wire = await TileReader.ToWireAsync(db, tile.StackId, [tile], TileReader.BaseUrl(request), ct, known, new Dictionary<int, Term> { [term.Id] = term });
        return ApiResults.Ok(wire[0]);
    }

    public static async Task<IResult> GetTile(string tileId, ApiCaller caller, HttpRequest request, TesseraDbContext db, CancellationToken ct)
    {
        var tile = await TileReader.FindAsync(db, caller.StackId, tileId, tracked: false, ct);
        return tile is null ? NotFound(tileId) : await WireAsync(db, tile, request, ct);
    }

    public static async Task<IResult> UpdateTile(
        string tileId, ApiCaller caller, ApiParameters parameters, HttpRequest request, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var tile = await TileReader.FindAsync(db, caller.StackId, tileId, tracked: true, ct);
        if (tile is null)
        {
            return NotFound(tileId);
        }

        var f = new FieldReader(parameters, Resource);
        if (tile.Source == "sta_feed")
        {
            TileInput.ReadContent(f, tile);
            TileInput.CheckMedia(f, tile);
        }
        else
        {
            foreach (var field in TileInput.ContentFields.Where(f.Has))
            {
                f.AddError(field, $"can only be changed on tiles posted through the API (this tile comes from {tile.Source})", "read_only_field");
            }
        }

        TileInput.ReadCommon(f, tile);
        var status = f.Enum("status", TileRules.Statuses, TileRules.StatusAliases);
        var tagIds = f.IdList("tags", TileRules.MaxTags);
        await TagLookup.CheckExistAsync(db, caller.StackId, "tags", tagIds, f, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        if (status is not null)
        {
            tile.SetStatus(TileRules.ParseStatus(status));
        }

        if (tagIds is not null)
        {
            tile.SetTags(tagIds);
        }

        tile.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        tile.Version++;
        return await SaveAsync(db, tile, request, ct);
    }

    public static async Task<IResult> DeleteTile(string tileId, ApiCaller caller, HttpRequest request, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var tile = await TileReader.FindAsync(db, caller.StackId, tileId, tracked: true, ct);
        if (tile is null)
        {
            return NotFound(tileId);
        }

        tile.SetStatus(TileStatus.Disabled);
        tile.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        tile.Version++;
        return await SaveAsync(db, tile, request, ct);
    }

    /// <summary>The post term a tile is sent to: the one named by <c>term_id</c>, or the stack's first UGC Post Feed term.</summary>
    private static async Task<Term?> FindPostTermAsync(TesseraDbContext db, int stackId, int? termId, FieldReader f, CancellationToken ct)
    {
        var postTerms = db.Terms.AsNoTracking().Where(t => t.StackId == stackId && t.Network == "sta_feed" && t.Type == "post");
        var term = termId is { } id
            ? await postTerms.FirstOrDefaultAsync(t => t.Id == id, ct)
            : await postTerms.OrderBy(t => t.Id).FirstOrDefaultAsync(ct);
        if (term is null)
        {
            f.AddError("term_id", termId is null ? "this stack has no UGC Post Feed term (network sta_feed, type post)" : $"no UGC Post Feed term {termId} (network sta_feed, type post) in this stack", "invalid_term");
        }
        else if (!term.Active)
        {
            f.AddError("term_id", $"term {term.Id} is not active", "inactive_term");
        }

        return term;
    }

    /// <summary>Records the term's last ingestion, at most once a minute, so concurrent posts do not queue on the term's row.</summary>
    private static async Task NoteIngestionAsync(TesseraDbContext db, Term term, DateTimeOffset now, CancellationToken ct)
    {
        var seconds = now.ToUnixTimeSeconds();
        if (term.LastIngestionPost > seconds - 60)
        {
            return;
        }

        try
        {
            await db.Terms.Where(t => t.Id == term.Id && t.LastIngestionPost <= seconds - 60)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastIngestionPost, seconds), ct);
        }
        catch (Exception e) when (DbErrors.IsUnavailable(e))
        {
            // The tile is committed; a busy database must not turn its answer into an error (and a retry into a duplicate).
        }
    }

    private static async Task<IResult> SaveAsync(TesseraDbContext db, Tile tile, HttpRequest request, CancellationToken ct)
    {
        var outcome = await db.TrySaveAsync(ct);
        return outcome == SaveOutcome.Saved ? await WireAsync(db, tile, request, ct) : SaveFailed(outcome, tile.ObjectId);
    }

    /// <summary>The answer when a concurrent request changed the same tile (or deleted a tag it uses) first.</summary>
    private static IResult SaveFailed(SaveOutcome outcome, string tileId) =>
        ApiResults.SaveFailed(Resource, Named(tileId), outcome);

    private static async Task<IResult> WireAsync(TesseraDbContext db, Tile tile, HttpRequest request, CancellationToken ct)
    {
        var wire = await TileReader.ToWireAsync(db, tile.StackId, [tile], TileReader.BaseUrl(request), ct);
        return ApiResults.Ok(wire[0]);
    }

    private static IResult NotFound(string tileId) => ApiResults.NotFound(Resource, Named(tileId));

    /// <summary>"tile {id}" for messages, the id cut to 80 characters (it may be a long <c>guid:</c>).</summary>
    private static string Named(string tileId) => $"tile {(tileId.Length > 80 ? tileId[..80] : tileId)}";

    private static IResult GuidTaken(string guid) =>
        ApiResults.Error(Resource, 409, "guid_exists", $"a tile with guid '{guid}' already exists in this stack");
}
