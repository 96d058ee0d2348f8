using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tessera.Tests.Webhooks;

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedWebhook(
    string EventId, string EventType, string? Timestamp, string? Signature, string? PreviousSignature, string? ContentType, byte[] Body, int AnsweredWith)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 that records every webhook request and answers as the test
/// says: a status, a delay, or no answer at all (stopped). It can stop and start again on the same port.
/// </summary>
public sealed class WebhookReceiver
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private WebApplication? _app;
    private int _port;

    /// <summary>The status answered; 200 by default.</summary>
    public int Status { get; set; } = 200;

    /// <summary>How long to wait before answering.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The answer's body; "ok {status}" when null.</summary>
    public byte[]? ResponseBody { get; set; }

    /// <summary>A <c>Content-Encoding</c> header to claim on the answer (whatever the body is).</summary>
    public string? ResponseEncoding { get; set; }

    /// <summary>When set, requests wait for it before answering (a receiver that hangs).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public string Url => $"http://127.0.0.1:{_port}/hook";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpRequest request, HttpResponse response, CancellationToken aborted) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, aborted);
            if (Gate is { } gate)
            {
                await gate.Task.WaitAsync(aborted);
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, aborted);
            }

            var status = Status;
            _received.Enqueue(new ReceivedWebhook(
                request.Headers["X-Tessera-Event-Id"].ToString(),
                request.Headers["X-Tessera-Event-Type"].ToString(),
                Header(request, "X-Tessera-Timestamp"),
                Header(request, "X-Stackla-Webhook-Signature"),
                Header(request, "X-Tessera-Previous-Signature"),
                request.ContentType,
                body.ToArray(),
                status));
            if (ResponseEncoding is { } encoding)
            {
                response.Headers.ContentEncoding = encoding;
            }

            if (ResponseBody is { } raw)
            {
                response.StatusCode = status;
                await response.Body.WriteAsync(raw, aborted);
                return Results.Empty;
            }

            return Results.Text("ok " + status, statusCode: status);
        });
        await _app.StartAsync();
        _port = new Uri(_app.Urls.First()).Port;
    }

    /// <summary>Stops listening (the port is kept for <see cref="StartAsync"/>): deliveries then fail to connect.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>Waits (up to <paramref name="seconds"/>) until the requests received satisfy <paramref name="done"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var received = Received;
            if (done(received))
            {
                return received;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the receiver got {received.Count} requests: {string.Join(", ", received.Select(r => $"{r.EventType}/{r.AnsweredWith}"))}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Releases held requests and stops.</summary>
    public Task CloseAsync()
    {
        Gate?.TrySetResult();
        return StopAsync();
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
}
