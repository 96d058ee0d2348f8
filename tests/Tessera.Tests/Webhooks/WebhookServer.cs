using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Webhooks;

/// <summary>
/// The server of the webhook tests: its own database, 127.0.0.1 allow-listed for outbound requests,
/// and a fast retry schedule (0.2 s doubling to 0.5 s) with a 1 s attempt timeout.
/// </summary>
public sealed class WebhookServer : IAsyncLifetime
{
    public static readonly (string Key, string Value)[] Settings =
    [
        ("Tessera:Outbound:AllowedHosts:0", "127.0.0.1"),
        ("Tessera:Webhooks:RetryBaseSeconds", "0.2"),
        ("Tessera:Webhooks:MaxBackoffSeconds", "0.5"),
        ("Tessera:Webhooks:PollSeconds", "0.1"),
        ("Tessera:Webhooks:TimeoutSeconds", "1"),
        // The fake-clock tests cannot wait on a clock that only they move.
        ("Tessera:Webhooks:GatherMilliseconds", "0"),
    ];

    public TesseraFactory Factory { get; } = TesseraFactory.WithSettings(Settings);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Factory.DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookServer>
{
    public const string Name = "webhooks";
}

/// <summary>Calls of the webhooks API the tests share.</summary>
public static class WebhookApi
{
    /// <summary>Subscribes <paramref name="url"/> to <paramref name="events"/> (CSV) and returns its id and secret.</summary>
    public static async Task<(int Id, string Secret)> SubscribeAsync(this ApiClient api, string url, string events = "TILE_INGESTED", string extra = "")
    {
        var response = await api.PostFormAsync("webhooks", $"url={Uri.EscapeDataString(url)}&events={Uri.EscapeDataString(events)}{extra}");
        response.AssertOk();
        return (response.Data.GetProperty("id").GetInt32(), response.Data.GetProperty("secret").GetString()!);
    }

    public static async Task<JsonElement[]> DeliveriesAsync(this ApiClient api, int webhookId, string? query = null)
    {
        var response = await api.GetAsync($"webhooks/{webhookId}/deliveries", query);
        response.AssertOk();
        return [.. response.Data.EnumerateArray()];
    }

    /// <summary>Waits until every delivery of the subscription is in <paramref name="status"/> (and there are <paramref name="count"/>).</summary>
    public static Task<JsonElement[]> WaitForDeliveriesAsync(this ApiClient api, int webhookId, int count, string status, int seconds = 20) =>
        api.PollDeliveriesAsync(webhookId, d => d.Length == count && d.All(x => x.GetProperty("status").GetString() == status), seconds: seconds);

    /// <summary>Reads the delivery log (<paramref name="query"/>) until <paramref name="done"/> holds, for at most <paramref name="seconds"/>; returns that read.</summary>
    public static async Task<JsonElement[]> PollDeliveriesAsync(
        this ApiClient api, int webhookId, Func<JsonElement[], bool> done, string query = "limit=100", int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var deliveries = await api.DeliveriesAsync(webhookId, query);
            if (done(deliveries))
            {
                return deliveries;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"deliveries: {string.Join(", ", deliveries.Select(d => $"{d.GetProperty("status").GetString()}/{d.GetProperty("attempts").GetInt32()}"))}");
            }

            await Task.Delay(50);
        }
    }

    public static int Attempts(this JsonElement delivery) => delivery.GetProperty("attempts").GetInt32();

    /// <summary>What a receiver computes to check a body: lowercase hex HMAC-SHA256 with the secret.</summary>
    public static string Signature(string secret, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static JsonElement Json(this ReceivedWebhook received) => JsonDocument.Parse(received.Body).RootElement;

    public static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
