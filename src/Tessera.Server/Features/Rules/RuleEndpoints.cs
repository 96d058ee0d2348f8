using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Tags;

namespace Tessera.Server.Features.Rules;

/// <summary>
/// The Automation Rules API (reference §2.8): <c>/api/tilerules</c> (with or without the trailing slash),
/// <c>/apply</c> to run a rule over the stack's stored tiles in the background, and the preview
/// <c>/preview</c> (decisions §6) to see what it would match and change.
/// </summary>
public static class RuleEndpoints
{
    /// <summary>Tiles a preview reads per query.</summary>
    public const int PreviewBatch = 500;

    /// <summary>Matching tile ids a preview lists.</summary>
    public const int PreviewIds = 50;

    private const ApiResource Resource = ApiResource.Rules;

    public static void MapRules(this IEndpointRouteBuilder routes)
    {
        var rules = routes.MapGroup("/api/tilerules").RequireApiAccess(ApiArea.Rules, Resource).WithTags("Automation rules");
        rules.MapGet("/", ListRules).WithSummary("List automation rules");
        rules.MapPost("/", CreateRule).WithSummary("Create an automation rule (JSON body {name, trigger, action[], enabled, type})");
        rules.MapGet("/{ruleId:int}", GetRule).WithSummary("Get an automation rule");
        rules.MapPut("/{ruleId:int}", UpdateRule).WithSummary("Update an automation rule");
        rules.MapDelete("/{ruleId:int}", DeleteRule).WithSummary("Delete an automation rule; returns the deleted rule");
        rules.MapMethods("/{ruleId:int}/apply", [HttpMethods.Put, HttpMethods.Post], ApplyRule)
            .WithSummary("Apply the rule to the stack's stored tiles in the background; returns the job");
        rules.MapGet("/{ruleId:int}/apply", GetApplyJob).WithSummary("The latest apply job of the rule, with its progress");
        // Outside the group, so its only access metadata is the preview marker (decisions §2.9).
        routes.MapPost("/api/tilerules/{ruleId:int}/preview", PreviewRule).AsPreviewEndpoint(ApiArea.Rules, Resource)
            .WithTags("Automation rules").WithSummary("How many stored tiles the rule matches and would change, and the first 50 (preview)");
    }

    public static async Task<IResult> ListRules(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var paging = Paging.Read(f);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var page = await db.Rules.AsNoTracking().Where(r => r.StackId == caller.StackId)
            .OrderBy(r => r.Id).Skip(paging.Skip).Take(paging.Limit).ToListAsync(ct);
        return ApiResults.Ok(page.Select(RuleWire.From).ToList());
    }

    public static async Task<IResult> CreateRule(
        ApiCaller caller, ApiParameters parameters, TesseraDbContext db, RuleBook book, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var rule = new TileRule { StackId = caller.StackId, Name = string.Empty, CreatedAt = now, UpdatedAt = now };
        var f = new FieldReader(parameters, Resource);
        var actionTags = RuleInput.Apply(f, rule, isCreate: true);
        await TagLookup.CheckExistAsync(db, caller.StackId, "action", actionTags, f, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        db.Rules.Add(rule);
        await db.SaveChangesAsync(ct);
        book.Invalidate(caller.StackId);
        return ApiResults.Ok(RuleWire.From(rule));
    }

    public static async Task<IResult> GetRule(int ruleId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var rule = await FindAsync(db, caller, ruleId, tracked: false, ct);
        return rule is null ? NotFound() : ApiResults.Ok(RuleWire.From(rule));
    }

    public static async Task<IResult> UpdateRule(
        int ruleId, ApiCaller caller, ApiParameters parameters, TesseraDbContext db, RuleBook book, TimeProvider time, CancellationToken ct)
    {
        var rule = await FindAsync(db, caller, ruleId, tracked: true, ct);
        if (rule is null)
        {
            return NotFound();
        }

        var f = new FieldReader(parameters, Resource);
        var actionTags = RuleInput.Apply(f, rule, isCreate: false);
        await TagLookup.CheckExistAsync(db, caller.StackId, "action", actionTags, f, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        rule.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        rule.Version++;
        return await SaveAsync(db, book, rule, ct);
    }

    public static async Task<IResult> DeleteRule(int ruleId, ApiCaller caller, TesseraDbContext db, RuleBook book, CancellationToken ct)
    {
        var rule = await FindAsync(db, caller, ruleId, tracked: true, ct);
        if (rule is null)
        {
            return NotFound();
        }

        db.Rules.Remove(rule);
        return await SaveAsync(db, book, rule, ct);
    }

    /// <summary>
    /// Queues a run of the rule over the stack's stored tiles (whether or not the rule is enabled) and
    /// answers with the job. While a run of the rule is queued or running, that run is the answer.
    /// </summary>
    public static async Task<IResult> ApplyRule(
        int ruleId, ApiCaller caller, TesseraDbContext db, RuleJobSignal signal, TimeProvider time, CancellationToken ct)
    {
        if (await FindAsync(db, caller, ruleId, tracked: false, ct) is null)
        {
            return NotFound();
        }

        var active = await db.RuleJobs.AsNoTracking()
            .Where(j => j.RuleId == ruleId && (j.Status == RuleJobStatus.Queued || j.Status == RuleJobStatus.Running))
            .OrderByDescending(j => j.Id).FirstOrDefaultAsync(ct);
        if (active is not null)
        {
            return ApiResults.Ok(RuleJobWire.From(active));
        }

        var job = new RuleJob
        {
            StackId = caller.StackId,
            RuleId = ruleId,
            Total = await db.Tiles.CountAsync(t => t.StackId == caller.StackId, ct),
            CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(),
        };
        db.RuleJobs.Add(job);
        var outcome = await db.TrySaveAsync(ct);
        if (outcome != SaveOutcome.Saved)
        {
            // The rule was deleted meanwhile (the job's foreign key).
            return NotFound();
        }

        signal.Notify();
        return ApiResults.Ok(RuleJobWire.From(job));
    }

    public static async Task<IResult> GetApplyJob(int ruleId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        if (await FindAsync(db, caller, ruleId, tracked: false, ct) is null)
        {
            return NotFound();
        }

        var job = await db.RuleJobs.AsNoTracking().Where(j => j.RuleId == ruleId).OrderByDescending(j => j.Id).FirstOrDefaultAsync(ct);
        return job is null
            ? ApiResults.Error(Resource, StatusCodes.Status404NotFound, "job_not_found", $"rule {ruleId} has not been applied yet")
            : ApiResults.Ok(RuleJobWire.From(job));
    }

    /// <summary>
    /// Runs the rule (enabled or not) over every stored tile of the stack, whatever its status, without
    /// saving anything: how many match, how many its actions would change, the first matching ids. The
    /// stack is read in batches of <see cref="PreviewBatch"/>, so the cost grows with the stack's size.
    /// </summary>
    public static async Task<IResult> PreviewRule(int ruleId, ApiCaller caller, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var rule = await FindAsync(db, caller, ruleId, tracked: false, ct);
        if (rule is null)
        {
            return NotFound();
        }

        CompiledRule compiled;
        try
        {
            compiled = CompiledRule.From(rule);
        }
        catch (RuleInputException e)
        {
            return ApiResults.Error(Resource, StatusCodes.Status400BadRequest, "invalid_rule", $"the stored rule does not compile: {e.Message}");
        }

        var scope = new RuleScope(db, caller.StackId, time.GetUtcNow());
        scope.AddTerms(await db.Terms.AsNoTracking().Where(t => t.StackId == caller.StackId).ToListAsync(ct));
        var (matched, changed, ids) = (0, 0, new List<string>());
        var afterSeq = 0L;
        while (true)
        {
            // Read without tracking: what the actions do to these copies is never saved.
            var tiles = await scope.NextBatchAsync(afterSeq, PreviewBatch, tracked: false, ct);
            if (tiles.Count == 0)
            {
                break;
            }

            foreach (var tile in tiles)
            {
                var outcome = await RuleRunner.RunOnStoredTileAsync(compiled, tile, scope, ct);
                if (outcome.Matched)
                {
                    matched++;
                    changed += outcome.Changed ? 1 : 0;
                    if (ids.Count < PreviewIds)
                    {
                        ids.Add(tile.ObjectId);
                    }
                }
            }

            afterSeq = tiles[^1].Seq;
        }

        return ApiResults.Ok(new RulePreviewWire(matched, changed, ids));
    }

    private static Task<TileRule?> FindAsync(TesseraDbContext db, ApiCaller caller, int ruleId, bool tracked, CancellationToken ct)
    {
        var rules = tracked ? db.Rules : db.Rules.AsNoTracking();
        return rules.FirstOrDefaultAsync(r => r.StackId == caller.StackId && r.Id == ruleId, ct);
    }

    private static async Task<IResult> SaveAsync(TesseraDbContext db, RuleBook book, TileRule rule, CancellationToken ct)
    {
        var outcome = await db.TrySaveAsync(ct);
        if (outcome != SaveOutcome.Saved)
        {
            return ApiResults.SaveFailed(Resource, "rule", outcome);
        }

        book.Invalidate(rule.StackId);
        return ApiResults.Ok(RuleWire.From(rule));
    }

    private static IResult NotFound() => ApiResults.NotFound(Resource, "rule");
}
