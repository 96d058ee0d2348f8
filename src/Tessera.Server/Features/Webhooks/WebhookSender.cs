using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Tessera.Server.Outbound;

namespace Tessera.Server.Features.Webhooks;

/// <summary>
/// How one attempt ended: whether it was delivered, may be retried, or must not be; the receiver's
/// HTTP status (null when it did not answer); how long it took; the start of the answer's body, or
/// what went wrong.
/// </summary>
public sealed record AttemptResult(AttemptOutcome Outcome, int? StatusCode, int LatencyMs, string? Response);

public enum AttemptOutcome
{
    Delivered,

    /// <summary>Timeout, connection error, 5xx, 408 or 429: try again later.</summary>
    Retry,

    /// <summary>Any other answer (4xx, a redirect) or a refused address: sending again would not help until someone acts.</summary>
    Permanent,
}

/// <summary>
/// Sends one delivery: a POST of the stored body with <c>Content-Type: application/json</c>,
/// <c>X-Tessera-Event-Id</c>, <c>X-Tessera-Timestamp</c> and <c>X-Stackla-Webhook-Signature</c> (hex
/// HMAC-SHA256 of the body with the subscription's secret), plus
/// <c>X-Tessera-Previous-Signature</c> with the previous secret during a rotation's overlap. It goes
/// through the guarded outbound client, so private addresses are refused unless allow-listed.
/// </summary>
public sealed partial class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookSender> logger)
{
    public const string EventIdHeader = "X-Tessera-Event-Id";
    public const string TimestampHeader = "X-Tessera-Timestamp";
    public const string SignatureHeader = "X-Stackla-Webhook-Signature";
    public const string PreviousSignatureHeader = "X-Tessera-Previous-Signature";
    public const string EventTypeHeader = "X-Tessera-Event-Type";

    public async Task<AttemptResult> SendAsync(WebhookSubscription subscription, WebhookDelivery delivery, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(EventIdHeader, delivery.EventId);
        request.Headers.Add(EventTypeHeader, delivery.EventType);
        request.Headers.Add(TimestampHeader, time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, Sign(subscription.Secret, body));
        if (subscription.PreviousSecret is { } previous && subscription.PreviousSecretUntil > time.GetUtcNow().ToUnixTimeSeconds())
        {
            request.Headers.Add(PreviousSignatureHeader, Sign(previous, body));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await clients.CreateClient(OutboundHttp.WebhookClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var snippet = await ReadSnippetAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            var outcome = status switch
            {
                >= 200 and < 300 => AttemptOutcome.Delivered,
                >= 500 or 408 or 429 => AttemptOutcome.Retry,
                _ => AttemptOutcome.Permanent,
            };
            if (status is >= 300 and < 400)
            {
                snippet = Clean($"redirects are not followed (Location: {response.Headers.Location?.ToString() ?? "none"})");
            }

            return new(outcome, status, Elapsed(watch), snippet);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(AttemptOutcome.Retry, null, Elapsed(watch), $"no answer within {options.Value.TimeoutSeconds:0.###} s");
        }
        catch (OutboundRefusedException refused)
        {
            return new(AttemptOutcome.Permanent, null, Elapsed(watch), Clean(OutboundErrors.Describe(refused)!));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Refused connections, bodies cut short, broken compression: the receiver may do better next time.
            // Anything else is ours, told to the stack without its details.
            var reason = OutboundErrors.Describe(e);
            if (reason is null)
            {
                LogUnexpected(logger, delivery.EventId, e);
            }

            return new(AttemptOutcome.Retry, null, Elapsed(watch), Clean(reason ?? "internal error while sending; see the server log"));
        }
    }

    /// <summary>
    /// Text fit for the log: control characters (NUL, which PostgreSQL refuses, among them) and
    /// broken surrogate pairs replaced, at most <see cref="WebhookRules.MaxResponseSnippet"/> characters.
    /// </summary>
    public static string Clean(string text)
    {
        var chars = text.Length <= WebhookRules.MaxResponseSnippet ? text.ToCharArray() : text[..WebhookRules.MaxResponseSnippet].ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || (char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    /// <summary>The signature a receiver checks: lowercase hex HMAC-SHA256 of the raw body.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static async Task<string?> ReadSnippetAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[WebhookRules.MaxResponseSnippet];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }

        // Decoding replaces a character split at the end of the buffer.
        return length == 0 ? null : Clean(Encoding.UTF8.GetString(buffer, 0, length));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending webhook event {EventId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string eventId, Exception error);

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);
}
