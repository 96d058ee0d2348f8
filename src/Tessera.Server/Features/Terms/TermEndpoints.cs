using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Tags;

namespace Tessera.Server.Features.Terms;

/// <summary>The Terms API (reference §2.4): <c>/api/terms</c>, plus the SDK's <c>terms/user</c> and tag links.</summary>
public static class TermEndpoints
{
    private const ApiResource Resource = ApiResource.Terms;

    public static void MapTerms(this IEndpointRouteBuilder routes)
    {
        var terms = routes.MapGroup("/api/terms").RequireApiAccess(ApiArea.Terms, Resource).WithTags("Terms");
        terms.MapGet("/", ListTerms).WithSummary("List terms");
        terms.MapPost("/", CreateTerm).WithSummary("Create a term");
        terms.MapGet("/user", LookUpNetworkUser).WithSummary("Look up a network account for a term (the SDK's validateUser)");
        terms.MapGet("/{termId:int}", GetTerm).WithSummary("Get a term");
        terms.MapPut("/{termId:int}", UpdateTerm).WithSummary("Update a term (network and type cannot change)");
        terms.MapDelete("/{termId:int}", DeleteTerm).WithSummary("Delete a term; returns the deleted term");
        terms.MapPost("/{termId:int}/tags/{tagId:int}", AddTag).WithSummary("Add a default tag to a term");
        terms.MapDelete("/{termId:int}/tags/{tagId:int}", RemoveTag).WithSummary("Remove a default tag from a term");
    }

    public static async Task<IResult> ListTerms(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var paging = Paging.Read(f);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var page = await db.Terms.AsNoTracking().Where(t => t.StackId == caller.StackId)
            .OrderBy(t => t.Id).Skip(paging.Skip).Take(paging.Limit).ToListAsync(ct);
        var tags = await TagLookup.LoadAsync(db, caller.StackId, page.SelectMany(t => t.TagIds), ct);
        return ApiResults.Ok(page.Select(t => TermWire.From(t, tags)).ToList());
    }

    public static async Task<IResult> CreateTerm(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var term = new Term
        {
            StackId = caller.StackId,
            Name = string.Empty,
            DisplayName = string.Empty,
            Network = string.Empty,
            Type = string.Empty,
            CreatedAt = now,
            ModifiedAt = now,
            NextPollAt = now,
        };
        var f = new FieldReader(parameters, Resource);
        TermInput.Apply(f, term, isCreate: true);
        await ApplyTagsAsync(f, term, db, caller, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        db.Terms.Add(term);
        await db.SaveChangesAsync(ct);
        return await WireAsync(db, term, ct);
    }

    public static async Task<IResult> GetTerm(int termId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var term = await Find(db, caller, termId, tracked: false, ct);
        return term is null ? NotFound() : await WireAsync(db, term, ct);
    }

    public static async Task<IResult> UpdateTerm(int termId, ApiCaller caller, ApiParameters parameters, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var term = await Find(db, caller, termId, tracked: true, ct);
        if (term is null)
        {
            return NotFound();
        }

        var f = new FieldReader(parameters, Resource);
        var feedBefore = term.TermText;
        TermInput.Apply(f, term, isCreate: false);
        await ApplyTagsAsync(f, term, db, caller, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        term.ModifiedAt = now;
        term.Version++;
        if (term.TermText != feedBefore)
        {
            // A new feed URL is due at once and starts with a clean record.
            term.NextPollAt = now;
            term.ConsecutiveFailures = 0;
            term.LastError = null;
        }

        return await SaveAsync(db, term, ct);
    }

    public static async Task<IResult> DeleteTerm(int termId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var term = await Find(db, caller, termId, tracked: true, ct);
        if (term is null)
        {
            return NotFound();
        }

        db.Terms.Remove(term);
        return await SaveAsync(db, term, ct);
    }

    public static async Task<IResult> AddTag(int termId, int tagId, ApiCaller caller, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (!await db.Tags.AnyAsync(t => t.StackId == caller.StackId && t.Id == tagId, ct))
        {
            return ApiResults.Error(Resource, 404, "tag_not_found", $"no tag {tagId} in this stack");
        }

        return await ChangeTagsAsync(db, caller, termId, time, tags =>
        {
            if (!tags.Contains(tagId) && tags.Count >= TermRules.MaxTags)
            {
                return ApiResults.Error(Resource, 400, "too_many_tags", $"a term has at most {TermRules.MaxTags} default tags");
            }

            if (!tags.Contains(tagId))
            {
                tags.Add(tagId);
            }

            return null;
        }, ct);
    }

    public static Task<IResult> RemoveTag(int termId, int tagId, ApiCaller caller, TesseraDbContext db, TimeProvider time, CancellationToken ct) =>
        ChangeTagsAsync(db, caller, termId, time, tags =>
        {
            tags.Remove(tagId);
            return null;
        }, ct);

    /// <summary>
    /// Adds or removes one default tag. These calls only touch the tag list, so a concurrent change of the
    /// same term is retried on fresh data rather than answered with a conflict.
    /// </summary>
    private static async Task<IResult> ChangeTagsAsync(TesseraDbContext db, ApiCaller caller, int termId, TimeProvider time, Func<List<int>, IResult?> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            db.ChangeTracker.Clear();
            var term = await Find(db, caller, termId, tracked: true, ct);
            if (term is null)
            {
                return NotFound();
            }

            if (change(term.TagIds) is { } refused)
            {
                return refused;
            }

            term.ModifiedAt = time.GetUtcNow().ToUnixTimeSeconds();
            term.Version++;
            var outcome = await db.TrySaveAsync(ct);
            if (outcome != SaveOutcome.Conflict)
            {
                return outcome == SaveOutcome.Saved ? await WireAsync(db, term, ct) : SaveFailed(outcome);
            }
        }

        return SaveFailed(SaveOutcome.Conflict);
    }

    /// <summary>
    /// The SDK asks this before creating user/page terms. Tessera cannot query the networks, so the id
    /// is derived from the handle (the same handle always gives the same id) and <c>verified</c> is false.
    /// </summary>
    public static IResult LookUpNetworkUser(ApiParameters parameters)
    {
        var f = new FieldReader(parameters, Resource);
        var network = f.Enum("network", TermRules.Networks);
        var name = f.String("name", 255);
        f.Require("network", network);
        f.Require("name", name);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{network}:{name!.ToLowerInvariant()}"));
        var id = (BitConverter.ToUInt64(hash, 0) % 1_000_000_000_000_000UL).ToString(CultureInfo.InvariantCulture);
        var status = TermRules.IsCollected(network!) ? "active" : "not_connected";
        return ApiResults.Ok(new TermUserWire(id, name, network!, false, status));
    }

    private static async Task ApplyTagsAsync(FieldReader f, Term term, TesseraDbContext db, ApiCaller caller, CancellationToken ct)
    {
        var tagIds = f.IdList("tags", TermRules.MaxTags);
        await TagLookup.CheckExistAsync(db, caller.StackId, "tags", tagIds, f, ct);
        if (tagIds is not null)
        {
            term.TagIds = [.. tagIds.Distinct()];
        }
    }

    private static Task<Term?> Find(TesseraDbContext db, ApiCaller caller, int termId, bool tracked, CancellationToken ct)
    {
        var terms = tracked ? db.Terms : db.Terms.AsNoTracking();
        return terms.FirstOrDefaultAsync(t => t.StackId == caller.StackId && t.Id == termId, ct);
    }

    private static async Task<IResult> SaveAsync(TesseraDbContext db, Term term, CancellationToken ct)
    {
        var outcome = await db.TrySaveAsync(ct);
        return outcome == SaveOutcome.Saved ? await WireAsync(db, term, ct) : SaveFailed(outcome);
    }

    private static IResult SaveFailed(SaveOutcome outcome) => ApiResults.SaveFailed(Resource, "term", outcome);

    private static async Task<IResult> WireAsync(TesseraDbContext db, Term term, CancellationToken ct)
    {
        var tags = await TagLookup.LoadAsync(db, term.StackId, term.TagIds, ct);
        return ApiResults.Ok(TermWire.From(term, tags));
    }

    private static IResult NotFound() => ApiResults.NotFound(Resource, "term");
}
