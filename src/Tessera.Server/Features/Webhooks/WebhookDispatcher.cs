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

        // Deliveries of a disabled subscription wait for it to be enabled again, those of a paused one for the pause to end.
        var paused = _paused.Where(p => p.Value.UntilMs > now).Select(p => p.Key).ToList();
        var due = db.WebhookDeliveries
            .Where(d => d.NextAttemptAtMs <= now && !paused.Contains(d.SubscriptionId)
                && db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Enabled))
            .OrderBy(d => d.NextAttemptAtMs)
            .Select(d => d.Id)
            .Take(o.BatchSize);
        var claimUntil = now + (long)(o.TimeoutSeconds * 1000 * 2) + 60_000;
        var claimed = await db.WebhookDeliveries
            .Where(d => due.Contains(d.Id) && d.NextAttemptAtMs <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAtMs, claimUntil).SetProperty(d => d.ClaimedBy, round), ct);
        if (claimed == 0)
        {
            return 0;
        }

        var rows = await db.WebhookDeliveries.Where(d => d.ClaimedBy == round).ToListAsync(ct);
        var subscriptionIds = rows.Select(r => r.SubscriptionId).Distinct().ToList();
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var attempts = new (long StartedAtMs, AttemptResult Result)[rows.Count];
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
                    attempts[i] = (startedAt, result);
                });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: hand the rows back so the next start sends them at once.
            await db.WebhookDeliveries.Where(d => d.ClaimedBy == round)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAtMs, now).SetProperty(d => d.ClaimedBy, (Guid?)null), CancellationToken.None);
            throw;
        }

        for (var i = 0; i < rows.Count; i++)
        {
            Record(db, rows[i], attempts[i].StartedAtMs, attempts[i].Result);
        }

        UpdatePauses(rows.Select((row, i) => (row.SubscriptionId, attempts[i].Result)));

        await db.SaveChangesAsync(CancellationToken.None);
        return claimed;
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt: base × 2^(n-1), capped, with equal jitter (between half and all of it).</summary>
    public static TimeSpan Backoff(int failures, WebhookOptions options, double jitter)
    {
        var seconds = Math.Min(options.RetryBaseSeconds * Math.Pow(2, Math.Min(failures - 1, 30)), options.MaxBackoffSeconds);
        return TimeSpan.FromSeconds((seconds / 2) + (seconds / 2 * jitter));
    }

    private void Record(TesseraDbContext db, WebhookDelivery delivery, long startedAtMs, AttemptResult result)
    {
        var o = options.Value;
        var finishedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        delivery.Attempts++;
        delivery.ClaimedBy = null;
        delivery.LastAttemptAtMs = startedAtMs;
        delivery.LastStatusCode = result.StatusCode;
        delivery.LastResponse = result.Response;
        var expired = finishedAt - delivery.CreatedAtMs >= o.RetryWindowHours * 3_600_000;
        (delivery.Status, delivery.NextAttemptAtMs) = result.Outcome switch
        {
            AttemptOutcome.Delivered => (DeliveryStatus.Delivered, (long?)null),
            AttemptOutcome.Retry when !expired => (DeliveryStatus.Failed, finishedAt + (long)Backoff(delivery.Attempts, o, Random.Shared.NextDouble()).TotalMilliseconds),
            _ => (DeliveryStatus.Dead, null),
        };
        db.WebhookAttempts.Add(new WebhookAttempt
        {
            DeliveryId = delivery.Id,
            Number = delivery.Attempts,
            AtMs = startedAtMs,
            StatusCode = result.StatusCode,
            LatencyMs = result.LatencyMs,
            Succeeded = result.Outcome == AttemptOutcome.Delivered,
            Response = result.Response,
        });
        if (delivery.Status == DeliveryStatus.Dead)
        {
            LogDead(logger, delivery.EventId, delivery.SubscriptionId, delivery.Attempts, result.Response);
        }
    }

    /// <summary>
    /// Pauses a subscription none of whose attempts in the round got an answer, for the back-off of
    /// its consecutive unanswered rounds; ends the pause of one that answered anything.
    /// </summary>
    private void UpdatePauses(IEnumerable<(int SubscriptionId, AttemptResult Result)> outcomes)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var subscription in outcomes.GroupBy(o => o.SubscriptionId))
        {
            if (subscription.Any(o => o.Result.StatusCode is not null || o.Result.Outcome != AttemptOutcome.Retry))
            {
                _paused.TryRemove(subscription.Key, out _);
                continue;
            }

            var rounds = (_paused.TryGetValue(subscription.Key, out var pause) ? pause.Rounds : 0) + 1;
            var wait = Backoff(rounds, options.Value, Random.Shared.NextDouble());
            _paused[subscription.Key] = new Pause(now + (long)wait.TotalMilliseconds, rounds);
            LogPaused(logger, subscription.Key, wait.TotalSeconds);
        }
    }

    /// <summary>Once an hour, forgets deliveries delivered longer ago than the retention (their attempts go with them).</summary>
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
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook dispatch round failed; its deliveries stay due")]
    private static partial void LogRoundFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId} did not answer; its deliveries wait {Seconds:0.#} s")]
    private static partial void LogPaused(ILogger logger, int subscriptionId, double seconds);

    private sealed record Pause(long UntilMs, int Rounds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook event {EventId} for subscription {SubscriptionId} is dead after {Attempts} attempts: {Reason}")]
    private static partial void LogDead(ILogger logger, string eventId, int subscriptionId, int attempts, string? reason);
}
