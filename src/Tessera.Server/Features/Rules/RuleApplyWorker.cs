using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Data;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.Rules;

/// <summary>
/// Runs apply jobs (<c>PUT /api/tilerules/{id}/apply</c>) in the background, oldest first. A job walks the
/// stack's tiles in <c>Seq</c> order, up to the number the stack had when the job was queued, in batches:
/// each batch's changed tiles are saved with ordinary tracked saves (so the change log, cache invalidation
/// and every other save hook see them) together with the job's progress, in one transaction. A job left
/// queued or running by a stopped server resumes after its last committed batch.
/// </summary>
/// <remarks>
/// The progress update only succeeds while the job is still where this worker read it, so if two nodes
/// pick up the same job, one of them rolls its batch back and carries on from the other's progress. A
/// batch whose tiles were changed by someone else meanwhile is read and run again.
/// </remarks>
public sealed partial class RuleApplyWorker(
    IServiceScopeFactory scopes, RuleJobSignal signal, IOptions<RuleOptions> options, TimeProvider time, ILogger<RuleApplyWorker> logger)
    : BackgroundService
{
    /// <summary>How often one batch is tried again when its tiles keep changing under it.</summary>
    public const int MaxAttempts = 5;

    private enum BatchResult
    {
        Committed,
        TilesChanged,
        JobMoved,
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ApplyWorkerEnabled)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunNextJobAsync(stoppingToken))
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A database hiccup must not end the worker; the job is resumed at the next poll.
                LogPollFailed(logger, e);
            }

            await signal.WaitAsync(interval, time, stoppingToken);
        }
    }

    /// <summary>Runs the oldest unfinished job to its end; false when there is none.</summary>
    private async Task<bool> RunNextJobAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var job = await db.RuleJobs.AsNoTracking()
            .Where(j => j.Status == RuleJobStatus.Queued || j.Status == RuleJobStatus.Running)
            .OrderBy(j => j.Id).FirstOrDefaultAsync(ct);
        if (job is null)
        {
            return false;
        }

        try
        {
            await RunJobAsync(db, job, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && !DbErrors.IsUnavailable(e))
        {
            LogJobFailed(logger, job.Id, job.RuleId, e);
            db.ChangeTracker.Clear();
            await FinishAsync(db, job.Id, RuleJobStatus.Failed, "internal error while applying the rule; see the server log", ct);
        }

        return true;
    }

    private async Task RunJobAsync(TesseraDbContext db, RuleJob job, CancellationToken ct)
    {
        var rule = await db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == job.RuleId && r.StackId == job.StackId, ct);
        if (rule is null)
        {
            await FinishAsync(db, job.Id, RuleJobStatus.Failed, "the rule was deleted", ct);
            return;
        }

        CompiledRule compiled;
        try
        {
            compiled = CompiledRule.From(rule);
        }
        catch (RuleInputException e)
        {
            await FinishAsync(db, job.Id, RuleJobStatus.Failed, $"the rule does not compile: {e.Message}", ct);
            return;
        }

        var terms = await db.Terms.AsNoTracking().Where(t => t.StackId == job.StackId).ToListAsync(ct);
        var attempts = 0;
        while (true)
        {
            db.ChangeTracker.Clear();
            // A fresh scope per batch: a tag deleted since the last batch is skipped from here on.
            var scope = new RuleScope(db, job.StackId, time.GetUtcNow());
            scope.AddTerms(terms);
            var remaining = job.Total - job.Processed;
            List<Tile> tiles = remaining <= 0 ? [] : await scope.NextBatchAsync(job.LastSeq, Math.Min(options.Value.BatchSize, remaining), tracked: true, ct);
            if (tiles.Count == 0)
            {
                await FinishAsync(db, job.Id, RuleJobStatus.Done, null, ct);
                LogJobDone(logger, job.Id, job.RuleId, job.Processed, job.Matched, job.Changed);
                return;
            }

            var (matched, changed) = (0, 0);
            foreach (var tile in tiles)
            {
                var outcome = await RuleRunner.RunOnStoredTileAsync(compiled, tile, scope, ct);
                matched += outcome.Matched ? 1 : 0;
                changed += outcome.Changed ? 1 : 0;
            }

            var progressed = new RuleJob
            {
                Id = job.Id,
                StackId = job.StackId,
                RuleId = job.RuleId,
                Status = RuleJobStatus.Running,
                Total = job.Total,
                Processed = job.Processed + tiles.Count,
                Matched = job.Matched + matched,
                Changed = job.Changed + changed,
                LastSeq = tiles[^1].Seq,
                CreatedAt = job.CreatedAt,
            };
            switch (await CommitBatchAsync(db, job, progressed, ct))
            {
                case BatchResult.Committed:
                    job = progressed;
                    attempts = 0;
                    break;
                case BatchResult.TilesChanged when ++attempts >= MaxAttempts:
                    await FinishAsync(db, job.Id, RuleJobStatus.Failed, $"tiles after seq {job.LastSeq} kept changing during {MaxAttempts} attempts; apply the rule again", ct);
                    return;
                case BatchResult.TilesChanged:
                    break;
                case BatchResult.JobMoved:
                    db.ChangeTracker.Clear();
                    var current = await db.RuleJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == job.Id, ct);
                    if (current is null || current.Status is RuleJobStatus.Done or RuleJobStatus.Failed)
                    {
                        return;
                    }

                    job = current;
                    break;
            }
        }
    }

    /// <summary>Saves the batch's changed tiles and moves the job from <paramref name="read"/> to <paramref name="progressed"/>, in one transaction.</summary>
    private static async Task<BatchResult> CommitBatchAsync(TesseraDbContext db, RuleJob read, RuleJob progressed, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.TrySaveAsync(ct) != SaveOutcome.Saved)
        {
            await transaction.RollbackAsync(ct);
            return BatchResult.TilesChanged;
        }

        var moved = await db.RuleJobs
            .Where(j => j.Id == read.Id && j.LastSeq == read.LastSeq && j.Processed == read.Processed
                && (j.Status == RuleJobStatus.Queued || j.Status == RuleJobStatus.Running))
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Status, RuleJobStatus.Running)
                    .SetProperty(j => j.Processed, progressed.Processed)
                    .SetProperty(j => j.Matched, progressed.Matched)
                    .SetProperty(j => j.Changed, progressed.Changed)
                    .SetProperty(j => j.LastSeq, progressed.LastSeq),
                ct);
        if (moved == 0)
        {
            await transaction.RollbackAsync(ct);
            return BatchResult.JobMoved;
        }

        await transaction.CommitAsync(ct);
        return BatchResult.Committed;
    }

    private async Task FinishAsync(TesseraDbContext db, int jobId, RuleJobStatus status, string? error, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        error = error is { Length: > 1000 } ? error[..1000] : error;
        await db.RuleJobs.Where(j => j.Id == jobId && (j.Status == RuleJobStatus.Queued || j.Status == RuleJobStatus.Running))
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Status, status)
                    .SetProperty(j => j.FinishedAt, now)
                    .SetProperty(j => j.Error, error),
                ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for automation rule jobs failed; retrying at the next poll")]
    private static partial void LogPollFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Apply job {JobId} of rule {RuleId} failed")]
    private static partial void LogJobFailed(ILogger logger, int jobId, int ruleId, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Apply job {JobId} of rule {RuleId} done: {Processed} tiles, {Matched} matched, {Changed} changed")]
    private static partial void LogJobDone(ILogger logger, int jobId, int ruleId, int processed, int matched, int changed);
}
