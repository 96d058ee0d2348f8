using System.Globalization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Webhooks;

/// <summary>
/// Delivery across a stopped server and along the back-off schedule. Each test has a database of its
/// own whose base server never starts, so only the servers the test makes dispatch.
/// </summary>
public sealed class WebhookRecoveryTests : IAsyncLifetime
{
    private readonly WebhookReceiver _receiver = new();

    public Task InitializeAsync() => _receiver.StartAsync();

    public Task DisposeAsync() => _receiver.CloseAsync();

    [Fact]
    public async Task An_event_committed_before_the_server_stopped_is_delivered_after_it_starts_again()
    {
        await using var factory = TesseraFactory.WithSettings(WebhookServer.Settings);
        string tileId;
        int stackId;
        await using (var stopped = factory.With(("Tessera:Webhooks:DispatcherEnabled", "false")))
        {
            var api = await TesseraFactory.NewStackClientAsync(stopped);
            stackId = api.StackId;
            var (id, _) = await api.SubscribeAsync(_receiver.Url);
            tileId = (await api.CreateTileAsync("message=Committed+then+crash")).GetProperty("id").GetString()!;
            var pending = Assert.Single(await api.DeliveriesAsync(id));
            Assert.Equal("pending", pending.GetProperty("status").GetString());
        }

        Assert.Empty(_receiver.Received);
        await using var restarted = factory.With();
        _ = restarted.Services;
        var received = Assert.Single(await _receiver.WaitForAsync(r => r.Count == 1));
        Assert.Equal(tileId, received.Json().GetProperty("_id").GetString());
        Assert.Equal(stackId, received.Json().GetProperty("stack_id").GetInt32());
    }

    [Fact]
    public async Task Failed_attempts_follow_the_exponential_back_off_and_die_after_the_retry_window()
    {
        await using var factory = TesseraFactory.WithSettings(WebhookServer.Settings);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = OnClock(factory, clock);
        var api = await TesseraFactory.NewStackClientAsync(server);
        var (id, _) = await api.SubscribeAsync(_receiver.Url);
        _receiver.Status = 503;
        await api.CreateTileAsync("message=Keeps+failing");

        // Attempt n waits between half and all of 30 s × 2^(n-1) after the one before.
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await _receiver.WaitForAsync(r => r.Count == attempt);
            var delivery = await WaitForAttemptsAsync(api, id, attempt);
            Assert.Equal("failed", delivery.GetProperty("status").GetString());
            Assert.Equal(503, delivery.GetProperty("last_status_code").GetInt32());
            var wait = delivery.GetProperty("next_attempt_at").GetInt64() - delivery.GetProperty("last_attempt_at").GetInt64();
            var step = 30 * Math.Pow(2, attempt - 1);
            Assert.InRange(wait, (long)(step / 2) - 1, (long)step + 1);

            // Not a moment before it is due…
            clock.Advance(TimeSpan.FromSeconds(wait / 2.0));
            await Task.Delay(200);
            Assert.Equal(attempt, _receiver.Received.Count);
            clock.Advance(TimeSpan.FromSeconds(wait));
        }

        await _receiver.WaitForAsync(r => r.Count == 5);
        await WaitForAttemptsAsync(api, id, 5);

        // A day later the next failure is the last.
        clock.Advance(TimeSpan.FromHours(25));
        await _receiver.WaitForAsync(r => r.Count == 6);
        var dead = Assert.Single(await api.WaitForDeliveriesAsync(id, 1, "dead"));
        Assert.Equal(6, dead.GetProperty("attempts").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, dead.GetProperty("next_attempt_at").ValueKind);
        Assert.All(_receiver.Received, r => Assert.Equal(_receiver.Received[0].EventId, r.EventId));

        // Dead stays dead, until redelivered; a redelivered event gets a whole retry window again.
        clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(200);
        Assert.Equal(6, _receiver.Received.Count);
        (await api.PostFormAsync($"webhooks/{id}/redeliver-dead", string.Empty)).AssertOk();
        await _receiver.WaitForAsync(r => r.Count == 7);
        Assert.Equal("failed", (await WaitForAttemptsAsync(api, id, 7)).GetProperty("status").GetString());
        _receiver.Status = 200;
        clock.Advance(TimeSpan.FromMinutes(33));
        var delivered = Assert.Single(await api.WaitForDeliveriesAsync(id, 1, "delivered"));
        Assert.Equal(8, delivered.GetProperty("attempts").GetInt32());
        var log = (await api.GetAsync($"webhooks/{id}/deliveries/{delivered.GetProperty("event_id").GetString()}")).Data.GetProperty("attempt_log");
        Assert.Equal(8, log.GetArrayLength());
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), _receiver.Received[^1].Timestamp);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_pauses_its_subscription_instead_of_taking_every_retry()
    {
        await using var factory = TesseraFactory.WithSettings(WebhookServer.Settings);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = OnClock(factory, clock, ("Tessera:Webhooks:BatchSize", "5"));
        var api = await TesseraFactory.NewStackClientAsync(server);
        var (id, _) = await api.SubscribeAsync(_receiver.Url);
        await _receiver.StopAsync();
        for (var i = 0; i < 12; i++)
        {
            await api.CreateTileAsync($"message=Queued+{i}");
        }

        // The first round (at most a batch of 5) found nobody; the others wait for the pause to end, unattempted.
        await api.PollDeliveriesAsync(id, d => d.Length > 0, "status=failed");

        await Task.Delay(300);
        var failed = await api.DeliveriesAsync(id, "status=failed");
        Assert.InRange(failed.Length, 1, 5);
        Assert.All(failed, d => Assert.Equal(1, d.GetProperty("attempts").GetInt32()));
        Assert.Equal(12 - failed.Length, (await api.DeliveriesAsync(id, "status=pending")).Length);

        // Once the receiver answers again, everything goes out.
        await _receiver.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await api.DeliveriesAsync(id, "status=delivered&limit=100")).Length < 12)
        {
            Assert.True(DateTime.UtcNow < deadline, "not all delivered");
            clock.Advance(TimeSpan.FromSeconds(31));
            await Task.Delay(100);
        }

        Assert.Equal(12, _receiver.Received.Select(r => r.EventId).Distinct().Count());
    }

    private static async Task<System.Text.Json.JsonElement> WaitForAttemptsAsync(ApiClient api, int id, int attempts) =>
        Assert.Single(await api.PollDeliveriesAsync(id, d => d.Length == 1 && d[0].Attempts() == attempts && d[0].GetProperty("status").GetString() != "pending"));

    /// <summary>A server of <paramref name="factory"/> on <paramref name="clock"/>, with the default retry schedule (30 s doubling to 1 h) and <paramref name="settings"/>.</summary>
    private static WebApplicationFactory<Program> OnClock(TesseraFactory factory, FakeTimeProvider clock, params (string Key, string Value)[] settings) =>
        factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Tessera:Webhooks:RetryBaseSeconds", "30");
            b.UseSetting("Tessera:Webhooks:MaxBackoffSeconds", "3600");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }

            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        });
}
