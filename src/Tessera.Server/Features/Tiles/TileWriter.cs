using System.Threading.Channels;
using Tessera.Server.Data;

namespace Tessera.Server.Features.Tiles;

/// <summary>
/// Group commit for new tiles. Concurrent posts hand their tile to one writer, which saves everything
/// queued since its last save in one transaction: one SQLite write lock and one WAL flush per batch
/// instead of per tile. Each post still gets its own outcome, and is answered only after its tile is
/// committed. A batch that fails on a unique index or a vanished tag is saved again tile by tile, so
/// one bad tile never fails the others.
/// </summary>
public sealed partial class TileWriter(IServiceScopeFactory scopes, ILogger<TileWriter> logger) : BackgroundService
{
    /// <summary>The most tiles saved in one transaction.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000) { SingleReader = true });

    /// <summary>Saves a new tile (and its tag links) with the next batch; completes once it is committed.</summary>
    public async Task<SaveOutcome> AddAsync(Tile tile, CancellationToken ct)
    {
        var pending = new Pending(tile, new TaskCompletionSource<SaveOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, ct);
        // Once queued the tile is saved even if the client goes away: it may then exist unacknowledged,
        // but an acknowledged tile always exists.
        return await pending.Done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                await SaveBatchAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued is saved below.
        }

        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }

        if (batch.Count > 0)
        {
            await SaveBatchAsync(batch);
        }
    }

    private async Task SaveBatchAsync(List<Pending> batch)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            // Everything saved here is new and added explicitly: nothing for EF to detect again at save.
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Tiles.AddRange(batch.Select(p => p.Tile));
            var outcome = await db.TrySaveAsync(CancellationToken.None);
            if (outcome == SaveOutcome.Saved || batch.Count == 1)
            {
                batch.ForEach(p => Complete(p, outcome));
                return;
            }

            foreach (var pending in batch)
            {
                db.ChangeTracker.Clear();
                pending.Tile.ForgetKeys();
                db.Tiles.Add(pending.Tile);
                Complete(pending, await db.TrySaveAsync(CancellationToken.None));
            }
        }
        catch (Exception e)
        {
            LogBatchFailed(logger, batch.Count, e);
            // Posts answered already (committed, their answer queued) keep their answer.
            batch.Where(p => !p.Answered).ToList().ForEach(p => p.Done.TrySetException(e));
        }
    }

    /// <summary>
    /// Answers a post through the shared thread-pool queue. Completed from the writer's thread, its
    /// continuation would go to that thread's local queue and could wait there behind the next batch.
    /// </summary>
    private static void Complete(Pending pending, SaveOutcome outcome)
    {
        pending.Answered = true;
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Pending.Done.TrySetResult(s.Outcome), (Pending: pending, Outcome: outcome), preferLocal: false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Saving a batch of {Count} tiles failed")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception error);

    private sealed record Pending(Tile Tile, TaskCompletionSource<SaveOutcome> Done)
    {
        /// <summary>Set once the post's outcome is decided (its answer may still be on its way).</summary>
        public bool Answered { get; set; }
    }
}
