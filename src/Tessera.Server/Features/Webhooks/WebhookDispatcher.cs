using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Data;

namespace Tessera.Server.Features.Webhooks;

/// <summary>
/// Sends the outbox: claims due deliveries, POSTs them concurrently (<see cref="WebhookSender"/>)
/// and records each attempt. A failed attempt that may succeed later (timeout, connection error,
/// 5xx, 408, 429) is retried after an exponential back-off with jitter; a delivery still failing
/// <see cref="WebhookOptions.RetryWindowHours"/> after its event, or refused for good (another 4xx,
/// a redirect, a private address), is dead until redelivered. Delivery is at least once: a receiver
/// de-duplicates by <c>X-Tessera-Event-Id</c>. Events of one subscription are not sent in order.
/// </summary>
/// <remarks>
/// Claiming moves a row's next attempt past the longest attempt and stamps it with the round's id in
/// one statement that re-checks the row is still due, so two dispatchers (two nodes) never take the
/// same row at once, and a dispatcher that dies mid-attempt leaves its rows due again once the claim
/// runs out. Receivers never hold a database transaction open: the rows are updated after the sends.
/// </remarks>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes, WebhookSender sender, WebhookSignal signal, IOptions<WebhookOptions> options, TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const long CleanupEveryMs = 3_600_000;
    private long _nextCleanupMs;

    /// <summary>
    /// Subscriptions whose receiver gave no answer at all in a round (refused, timed out): their
    /// deliveries are not claimed until the pause ends, so a dead receiver gets one batch per back-off
    /// step instead of every delivery's own retries. Per node; a receiver that answers ends the pause.
    /// </summary>
    private readonly ConcurrentDictionary<int, Pause> _paused = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = signal.NextWake();
            var claimed = 0;
            try
            {
                claimed = await RunOnceAsync(stoppingToken);
                await CleanUpAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is away, say: the rows stay due and the next round tries again.
                LogRoundFailed(logger, e);
            }

            if (claimed < options.Value.BatchSize)
            {
                // Until woken, or the poll for retries that fall due and for other nodes' events.
                await Task.WhenAny(woken, Task.Delay(TimeSpan.FromSeconds(options.Value.PollSeconds), time, stoppingToken));
                if (woken.IsCompleted && options.Value.GatherMilliseconds > 0 && !stoppingToken.IsCancellationRequested)
                {
                    // Let the commits that follow join this round: fewer, larger rounds under load.
                    await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(options.Value.GatherMilliseconds), time, stoppingToken));
                }
            }
        }
    }

    /// <summary>One round: claims up to a batch of due deliveries, sends them and records the outcomes. Returns how many were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var round = Guid.NewGuid();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();

        // Deliveries of a paused subscription wait for the pause to end; those of a disabled or
        // deleted one are never claimed (disabling parks them, deleting removes them).
        var paused = _paused.Where(p => p.Value.UntilMs > now).Select(p => p.Key).ToList();
        var due = db.WebhookDeliveries
            .Where(d => d.NextAttemptAtMs <= now && !paused.Contains(d.SubscriptionId)
                && db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Enabled))
            .OrderBy(d => d.NextAttemptAtMs)
            .Select(d => d.Id)
            .Take(o.BatchSize);
        var claimUntil = now + ClaimMilliseconds(o);
        var claimed = await db.WebhookDeliveries
            .Where(d => due.Contains(d.Id) && d.NextAttemptAtMs <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAtMs, claimUntil).SetProperty(d => d.ClaimedBy, round), ct);
        if (claimed == 0)
        {
            return 0;
        }

        var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.ClaimedBy == round).ToListAsync(ct);
        var subscriptionIds = rows.Select(r => r.SubscriptionId).Distinct().ToList();
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var attempts = new Attempt?[rows.Count];
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, rows.Count),
                new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = ct },
                async (i, token) =>
                {
                    var startedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
                    var result = subscriptions.TryGetValue(rows[i].SubscriptionId, out var subscription)
                        ? await sender.SendAsync(subscription, rows[i], token)
                        : new AttemptResult(AttemptOutcome.Retry, null, 0, "subscription not found");
                    attempts[i] = new Attempt(startedAt, result);
                });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: keep what was sent, hand back the rest so the next start sends it at once.
            await RecordAsync(db, round, rows, attempts, CancellationToken.None);
            throw;
        }

        await RecordAsync(db, round, rows, attempts, CancellationToken.None);
        return claimed;
    }

    /// <summary>
    /// How long a claim holds: longer than the slowest round (every attempt of the batch timing out,
    /// <see cref="WebhookOptions.Concurrency"/> at a time), plus a minute.
    /// </summary>
    public static long ClaimMilliseconds(WebhookOptions o) =>
        ((long)Math.Ceiling((double)o.BatchSize / o.Concurrency) * (long)(o.TimeoutSeconds * 1000)) + 60_000;

    /// <summary>
    /// Saves the outcome of each attempt of the round, and hands back the rows not attempted, in one
    /// transaction. A row is only written while this round still holds it: a row deleted with its
    /// subscription meanwhile is skipped, and so is one whose claim ran out and was taken again.
    /// </summary>
    private async Task RecordAsync(TesseraDbContext db, Guid round, List<WebhookDelivery> rows, Attempt?[] attempts, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var log = new List<WebhookAttempt>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var held = db.WebhookDeliveries.Where(d => d.Id == row.Id && d.ClaimedBy == round);
            if (attempts[i] is not { } attempt)
            {
                await held.ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAtMs, now).SetProperty(d => d.ClaimedBy, (Guid?)null), ct);
                continue;
            }

            var result = attempt.Result;
            var number = row.Attempts + 1;
            var expired = now - row.RetryFromMs >= o.RetryWindowHours * 3_600_000;
            var (status, next) = result.Outcome switch
            {
                AttemptOutcome.Delivered => (DeliveryStatus.Delivered, (long?)null),
                AttemptOutcome.Retry when !expired => (DeliveryStatus.Failed, now + (long)Backoff(number, o, Random.Shared.NextDouble()).TotalMilliseconds),
                _ => (DeliveryStatus.Dead, null),
            };
            var response = result.Response;
            var written = await held.ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Attempts, number)
                    .SetProperty(d => d.Status, status)
                    .SetProperty(d => d.NextAttemptAtMs, next)
                    .SetProperty(d => d.LastAttemptAtMs, attempt.StartedAtMs)
                    .SetProperty(d => d.LastStatusCode, result.StatusCode)
                    .SetProperty(d => d.LastResponse, response)
                    .SetProperty(d => d.ClaimedBy, (Guid?)null),
                ct);
            if (written == 0)
            {
                continue;
            }

            log.Add(new WebhookAttempt
            {
                DeliveryId = row.Id,
                Number = number,
                AtMs = attempt.StartedAtMs,
                StatusCode = result.StatusCode,
                LatencyMs = result.LatencyMs,
                Succeeded = result.Outcome == AttemptOutcome.Delivered,
                Response = response,
            });
            if (status == DeliveryStatus.Dead)
            {
                LogDead(logger, row.EventId, row.SubscriptionId, number, response);
            }
        }

        db.WebhookAttempts.AddRange(log);
        await db.SaveChangesAsync(ct);
        await PauseUnansweredAsync(db, rows.Select((row, i) => (row.SubscriptionId, attempts[i]?.Result)), ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt: base × 2^(n-1), capped, with equal jitter (between half and all of it).</summary>
    public static TimeSpan Backoff(int failures, WebhookOptions options, double jitter)
    {
        var seconds = Math.Min(options.RetryBaseSeconds * Math.Pow(2, Math.Min(failures - 1, 30)), options.MaxBackoffSeconds);
        return TimeSpan.FromSeconds((seconds / 2) + (seconds / 2 * jitter));
    }

    /// <summary>
    /// Pauses a subscription none of whose attempts in the round got an answer, for the back-off of
    /// its consecutive unanswered rounds, and moves its waiting deliveries to the end of the pause
    /// (so claims do not walk past them meanwhile). Ends the pause of one that answered anything.
    /// </summary>
    private async Task PauseUnansweredAsync(TesseraDbContext db, IEnumerable<(int SubscriptionId, AttemptResult? Result)> outcomes, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var subscription in outcomes.Where(o => o.Result is not null).GroupBy(o => o.SubscriptionId))
        {
            if (subscription.Any(o => o.Result!.StatusCode is not null || o.Result.Outcome != AttemptOutcome.Retry))
            {
                _paused.TryRemove(subscription.Key, out _);
                continue;
            }

            var rounds = (_paused.TryGetValue(subscription.Key, out var pause) ? pause.Rounds : 0) + 1;
            var wait = Backoff(rounds, options.Value, Random.Shared.NextDouble());
            var until = now + (long)wait.TotalMilliseconds;
            _paused[subscription.Key] = new Pause(until, rounds);
            await db.WebhookDeliveries
                .Where(d => d.SubscriptionId == subscription.Key && d.ClaimedBy == null && d.NextAttemptAtMs < until)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAtMs, until), ct);
            LogPaused(logger, subscription.Key, wait.TotalSeconds);
        }
    }

    /// <summary>Once an hour, forgets deliveries delivered longer ago than the retention (their attempts go with them) and orphans.</summary>
    private async Task CleanUpAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now < _nextCleanupMs)
        {
            return;
        }

        _nextCleanupMs = now + CleanupEveryMs;
        var before = now - (long)(options.Value.RetentionDays * 86_400_000);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        await db.WebhookDeliveries.Where(d => d.Status == DeliveryStatus.Delivered && d.LastAttemptAtMs < before).ExecuteDeleteAsync(ct);
        // Rows an outbox wrote for a subscription deleted at the same moment (its copy was not refreshed yet).
        await db.WebhookDeliveries.Where(d => !db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId)).ExecuteDeleteAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook dispatch round failed; its deliveries stay due")]
    private static partial void LogRoundFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId} did not answer; its deliveries wait {Seconds:0.#} s")]
    private static partial void LogPaused(ILogger logger, int subscriptionId, double seconds);

    private sealed record Pause(long UntilMs, int Rounds);

    private sealed record Attempt(long StartedAtMs, AttemptResult Result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook event {EventId} for subscription {SubscriptionId} is dead after {Attempts} attempts: {Reason}")]
    private static partial void LogDead(ILogger logger, string eventId, int subscriptionId, int attempts, string? reason);
}
