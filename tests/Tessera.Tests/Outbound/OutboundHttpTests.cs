using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Server.Outbound;

namespace Tessera.Tests.Outbound;

/// <summary>The guarded client against a real HTTP server on 127.0.0.1, through real sockets.</summary>
public sealed class OutboundHttpTests(LocalHttpServer server) : IClassFixture<LocalHttpServer>
{
    private static readonly (string, string)[] AllowLoopbackLiteral = [("Tessera:Outbound:AllowedHosts:0", "127.0.0.1")];

    [Fact]
    public async Task By_default_a_loopback_server_is_refused_before_any_request_reaches_it()
    {
        await using var outbound = Outbound.Create();
        var hits = server.Hits;

        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() => outbound.Client.GetAsync(server.Url("/ok")));

        Assert.Equal("127.0.0.1", refused.Host);
        Assert.Equal(IPAddress.Loopback, refused.Address);
        Assert.Contains("'127.0.0.1' refused: 127.0.0.1 is loopback", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Tessera:Outbound:AllowedHosts", refused.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<HttpRequestException>(refused);
        Assert.Equal(hits, server.Hits);
    }

    [Theory]
    [InlineData("http://localhost:{port}/ok", "localhost")]
    [InlineData("http://[::1]:{port}/ok", "::1")]
    [InlineData("http://0.0.0.0:{port}/ok", "0.0.0.0")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/ok", "::ffff:127.0.0.1")]
    [InlineData("http://2130706433:{port}/ok", "127.0.0.1")]
    [InlineData("https://10.0.0.1/", "10.0.0.1")]
    public async Task Other_spellings_of_private_addresses_are_refused(string url, string host)
    {
        await using var outbound = Outbound.Create();

        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() => outbound.Client.GetAsync(url.Replace("{port}", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));

        Assert.Equal(host, refused.Host.Trim('[', ']'));
        Assert.NotNull(refused.Address);
    }

    [Fact]
    public async Task An_allowed_host_is_reached_with_the_configured_user_agent()
    {
        await using var outbound = Outbound.Create(AllowLoopbackLiteral);

        var body = await outbound.Client.GetStringAsync(server.Url("/ua"));

        Assert.Equal("Tessera/1.0 (+self-hosted UGC)", body);
    }

    [Fact]
    public async Task Allowing_private_networks_reaches_loopback_by_any_name()
    {
        await using var outbound = Outbound.Create(("Tessera:Outbound:AllowPrivateNetworks", "true"), ("Tessera:Outbound:UserAgent", "Test/2"));

        Assert.Equal("hello", await outbound.Client.GetStringAsync(server.Url("/ok")));
        // localhost may resolve to ::1 first, where nothing listens: the next vetted address is tried.
        Assert.Equal("hello", await outbound.Client.GetStringAsync($"http://localhost:{server.Port}/ok"));
        Assert.Equal("Test/2", await outbound.Client.GetStringAsync(server.Url("/ua")));
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_host_to_another_name_for_loopback_is_refused()
    {
        await using var outbound = Outbound.Create(AllowLoopbackLiteral);
        var target = Uri.EscapeDataString($"http://localhost:{server.Port}/ok");

        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() => outbound.Client.GetAsync(server.Url($"/redirect?to={target}")));

        Assert.Equal("localhost", refused.Host);
        Assert.True(refused.Address is { } address && IPAddress.IsLoopback(address), refused.Message);
    }

    [Fact]
    public async Task A_redirect_within_an_allowed_host_is_followed()
    {
        await using var outbound = Outbound.Create(AllowLoopbackLiteral);

        Assert.Equal("hello", await outbound.Client.GetStringAsync(server.Url("/redirect?to=%2Fok")));
    }

    [Fact]
    public async Task At_most_five_redirects_are_followed()
    {
        await using var outbound = Outbound.Create(AllowLoopbackLiteral);

        using var five = await outbound.Client.GetAsync(server.Url("/chain/5"));
        using var six = await outbound.Client.GetAsync(server.Url("/chain/6"));

        Assert.Equal(HttpStatusCode.OK, five.StatusCode);
        Assert.Equal("end", await five.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, six.StatusCode);
        Assert.EndsWith("/chain/0", six.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/file")]
    [InlineData("file:///etc/passwd")]
    public async Task Only_http_and_https_urls_are_sent(string url)
    {
        await using var outbound = Outbound.Create(("Tessera:Outbound:AllowPrivateNetworks", "true"));

        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() => outbound.Client.GetAsync(url));

        Assert.Contains("only absolute http and https URLs", refused.Message, StringComparison.Ordinal);
        Assert.Null(refused.Address);
    }

    [Theory]
    [InlineData("/big/20000")]
    [InlineData("/stream/20000")]
    public async Task A_body_over_the_bound_fails_the_bounded_read(string path)
    {
        await using var outbound = Outbound.Create(AllowLoopbackLiteral);
        using var response = await outbound.Client.GetAsync(server.Url(path), HttpCompletionOption.ResponseHeadersRead);

        var tooLarge = await Assert.ThrowsAsync<OutboundResponseTooLargeException>(() => OutboundHttp.ReadBoundedAsync(response, 10_000, CancellationToken.None));

        Assert.Equal(10_000, tooLarge.MaxBytes);
        Assert.Contains("larger than the limit of 10000 bytes", tooLarge.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/big/10000")]
    [InlineData("/stream/10000")]
    public async Task A_body_at_the_bound_is_read_whole(string path)
    {
        await using var outbound = Outbound.Create(AllowLoopbackLiteral);
        using var response = await outbound.Client.GetAsync(server.Url(path), HttpCompletionOption.ResponseHeadersRead);

        var body = await OutboundHttp.ReadBoundedAsync(response, 10_000, CancellationToken.None);

        Assert.Equal(10_000, body.Length);
        Assert.All(body, b => Assert.Equal((byte)'x', b));
    }

    [Fact]
    public async Task Buffered_reads_are_capped_by_max_response_bytes()
    {
        await using var outbound = Outbound.Create(("Tessera:Outbound:AllowedHosts:0", "127.0.0.1"), ("Tessera:Outbound:MaxResponseBytes", "1000"));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => outbound.Client.GetStringAsync(server.Url("/big/5000")));
        Assert.Equal(1000, (await outbound.Client.GetByteArrayAsync(server.Url("/big/1000"))).Length);
    }

    [Theory]
    [InlineData("Tessera:Outbound:AllowedHosts:0", "http://example.com")]
    [InlineData("Tessera:Outbound:TimeoutSeconds", "0")]
    [InlineData("Tessera:Outbound:MaxResponseBytes", "-1")]
    public async Task Invalid_settings_are_rejected(string key, string value)
    {
        await using var outbound = Outbound.Create((key, value));

        Assert.Throws<OptionsValidationException>(() => outbound.Provider.GetRequiredService<IOptions<OutboundOptions>>().Value);
    }

    /// <summary>A service provider with only <c>AddTesseraOutbound</c>, and its guarded client.</summary>
    private sealed class Outbound(ServiceProvider provider) : IAsyncDisposable
    {
        public ServiceProvider Provider { get; } = provider;

        public HttpClient Client => Provider.GetRequiredService<IHttpClientFactory>().CreateClient(OutboundHttp.ClientName);

        public static Outbound Create(params (string Key, string Value)[] settings)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
                .Build();
            return new Outbound(new ServiceCollection().AddTesseraOutbound(configuration).BuildServiceProvider());
        }

        public ValueTask DisposeAsync() => Provider.DisposeAsync();
    }
}

/// <summary>A small Kestrel server on 127.0.0.1 and a free port.</summary>
public sealed class LocalHttpServer : IAsyncLifetime
{
    private WebApplication? _app;
    private int _hits;

    public int Port { get; private set; }

    public int Hits => Volatile.Read(ref _hits);

    public string Url(string pathAndQuery) => $"http://127.0.0.1:{Port}{pathAndQuery}";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref _hits);
            return next(context);
        });
        app.MapGet("/ok", () => "hello");
        app.MapGet("/ua", (HttpRequest request) => request.Headers.UserAgent.ToString());
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/chain/{n:int}", (int n) => n > 0 ? Results.Redirect($"/chain/{n - 1}") : Results.Text("end"));
        app.MapGet("/big/{n:int}", (int n) => Results.Bytes(Filled(n), "application/octet-stream"));
        app.MapGet("/stream/{n:int}", async (int n, HttpResponse response) =>
        {
            // No Content-Length: the bound must be counted while reading.
            for (var sent = 0; sent < n; sent += 1000)
            {
                await response.Body.WriteAsync(Filled(Math.Min(1000, n - sent)));
                await response.Body.FlushAsync();
            }
        });
        await app.StartAsync();
        Port = new Uri(app.Urls.First()).Port;
        _app = app;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static byte[] Filled(int length) => Enumerable.Repeat((byte)'x', length).ToArray();
}
