using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Server.Features.Collectors;
using Tessera.Server.Features.Rules;
using Tessera.Server.Features.Tiles;
using Tessera.Server.Outbound;

namespace Tessera.Tests.Infrastructure;

/// <summary>A local HTTP server whose feed, status and hit count the test controls.</summary>
public sealed class FeedServer
{
    private WebApplication? _app;
    private int _hits;

    public string[] Items { get; set; } = [];

    public string? Raw { get; set; }

    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    /// <summary>When set, the feed sends its headers and then waits this long before the body.</summary>
    public int StallSeconds { get; set; }

    public int Hits => Volatile.Read(ref _hits);

    public string Url { get; private set; } = string.Empty;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/feed.xml", async (HttpResponse response, CancellationToken aborted) =>
        {
            Interlocked.Increment(ref _hits);
            var body = Raw ?? $"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Blog</title><link>https://blog.example/</link>{string.Concat(Items)}</channel></rss>";
            if (Status != HttpStatusCode.OK)
            {
                return Results.StatusCode((int)Status);
            }

            if (StallSeconds > 0)
            {
                response.ContentType = "application/rss+xml";
                await response.Body.WriteAsync("<?xml version=\"1.0\"?>"u8.ToArray(), aborted);
                await response.Body.FlushAsync(aborted);
                await Task.Delay(TimeSpan.FromSeconds(StallSeconds), aborted);
            }

            return Results.Text(body, "application/rss+xml");
        });
        await _app.StartAsync();
        Url = $"http://127.0.0.1:{new Uri(_app.Urls.First()).Port}/feed.xml";
    }

    /// <summary>A poller on the test server's database and clock, with its own outbound settings.</summary>
    public static FeedPoller NewPoller(IServiceProvider services, TimeProvider clock, bool allowLoopback, CollectorOptions? options = null, int timeoutSeconds = 10)
    {
        var http = new ServiceCollection()
            .AddTesseraOutbound(new ConfigurationBuilder()
                .AddInMemoryCollection(allowLoopback ? [new("Tessera:Outbound:AllowedHosts:0", "127.0.0.1")] : [])
                .Build())
            .BuildServiceProvider()
            .GetRequiredService<IHttpClientFactory>();
        return new FeedPoller(
            services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<TileWriter>(), services.GetRequiredService<RuleBook>(), http,
            Microsoft.Extensions.Options.Options.Create(options ?? new CollectorOptions()),
            Microsoft.Extensions.Options.Options.Create(new OutboundOptions { TimeoutSeconds = timeoutSeconds }), clock, NullLogger<FeedPoller>.Instance);
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
