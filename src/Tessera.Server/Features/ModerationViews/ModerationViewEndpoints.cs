using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Tags;

namespace Tessera.Server.Features.ModerationViews;

/// <summary>
/// The Moderation views API (reference §2.6): <c>/api/moderationviews</c>. A view belongs to the user whose
/// token created it; a <c>private</c> view exists for its owner only (anyone else gets 404), a
/// <c>public</c> one for every user of the stack with access to the area.
/// </summary>
public static class ModerationViewEndpoints
{
    private const ApiResource Resource = ApiResource.ModerationViews;

    public static void MapModerationViews(this IEndpointRouteBuilder routes)
    {
        var views = routes.MapGroup("/api/moderationviews").RequireApiAccess(ApiArea.ModerationViews, Resource).WithTags("Moderation views");
        views.MapGet("/", ListViews).WithSummary("List the moderation views the caller may see (public ones and its own private ones)");
        views.MapPost("/", CreateView).WithSummary("Create a moderation view (flat columns_*, filter_value_*, other_*, date_range_* keys)");
        views.MapGet("/{viewId:int}", GetView).WithSummary("Get a moderation view (nested column, filter, other, date objects)");
        views.MapPut("/{viewId:int}", UpdateView).WithSummary("Update a moderation view; only the keys sent change");
        views.MapDelete("/{viewId:int}", DeleteView).WithSummary("Delete a moderation view; returns the deleted view");
    }

    public static async Task<IResult> ListViews(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var paging = Paging.Read(f);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var page = await Visible(db.ModerationViews.AsNoTracking(), caller)
            .OrderBy(v => v.Id).Skip(paging.Skip).Take(paging.Limit).ToListAsync(ct);
        return ApiResults.Ok(page.Select(ModerationViewWire.From).ToList());
    }

    public static async Task<IResult> CreateView(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var view = new ModerationView { StackId = caller.StackId, OwnerId = caller.UserId, ViewName = string.Empty, CreatedAt = now, UpdatedAt = now };
        var f = new FieldReader(parameters, Resource);
        var references = ModerationViewInput.Apply(f, parameters, view, isCreate: true);
        await CheckReferencesAsync(f, db, caller.StackId, references, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        db.ModerationViews.Add(view);
        await db.SaveChangesAsync(ct);
        return ApiResults.Ok(ModerationViewWire.From(view));
    }

    public static async Task<IResult> GetView(int viewId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var view = await Find(db, caller, viewId, tracked: false, ct);
        return view is null ? NotFound() : ApiResults.Ok(ModerationViewWire.From(view));
    }

    public static async Task<IResult> UpdateView(int viewId, ApiCaller caller, ApiParameters parameters, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var view = await Find(db, caller, viewId, tracked: true, ct);
        if (view is null)
        {
            return NotFound();
        }

        var accessBefore = view.AccessType;
        var f = new FieldReader(parameters, Resource);
        var references = ModerationViewInput.Apply(f, parameters, view, isCreate: false);
        await CheckReferencesAsync(f, db, caller.StackId, references, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        if (view.AccessType != accessBefore && view.OwnerId != caller.UserId)
        {
            // Making another user's public view private would hide it from everyone but its owner.
            return ApiResults.Error(Resource, StatusCodes.Status403Forbidden, "owner_only", "access_type: only the owner of a view may change it");
        }

        view.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        view.Version++;
        return await SaveAsync(db, view, ct);
    }

    public static async Task<IResult> DeleteView(int viewId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var view = await Find(db, caller, viewId, tracked: true, ct);
        if (view is null)
        {
            return NotFound();
        }

        db.ModerationViews.Remove(view);
        return await SaveAsync(db, view, ct);
    }

    /// <summary>The tags and terms a view filters by must be the stack's own.</summary>
    private static async Task CheckReferencesAsync(FieldReader f, TesseraDbContext db, int stackId, ModerationViewInput.References references, CancellationToken ct)
    {
        await TagLookup.CheckExistAsync(db, stackId, ModerationViewFields.FilterPrefix + "tags", references.Tags, f, ct);
        if (references.Terms is { Count: > 0 } terms)
        {
            var found = await db.Terms.Where(t => t.StackId == stackId && terms.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct);
            var missing = terms.Except(found).Take(5).ToList();
            if (missing.Count > 0)
            {
                f.AddError(ModerationViewFields.FilterPrefix + "terms", $"no term {string.Join(", ", missing)} in this stack", "term_not_found");
            }
        }
    }

    /// <summary>The stack's views the caller may see: public ones and its own private ones.</summary>
    private static IQueryable<ModerationView> Visible(IQueryable<ModerationView> views, ApiCaller caller) =>
        views.Where(v => v.StackId == caller.StackId && (v.AccessType != "private" || v.OwnerId == caller.UserId));

    private static Task<ModerationView?> Find(TesseraDbContext db, ApiCaller caller, int viewId, bool tracked, CancellationToken ct) =>
        Visible(tracked ? db.ModerationViews : db.ModerationViews.AsNoTracking(), caller).FirstOrDefaultAsync(v => v.Id == viewId, ct);

    private static async Task<IResult> SaveAsync(TesseraDbContext db, ModerationView view, CancellationToken ct) =>
        await db.TrySaveAsync(ct) is var outcome && outcome == SaveOutcome.Saved
            ? ApiResults.Ok(ModerationViewWire.From(view))
            : ApiResults.SaveFailed(Resource, "moderation view", outcome);

    private static IResult NotFound() => ApiResults.NotFound(Resource, "moderation view");
}
