using System.Net;
using Tessera.Tests.Infrastructure;
using static Tessera.Tests.ContentApi.PublicContent;

namespace Tessera.Tests.ContentApi;

/// <summary>
/// Browsers read the Content API across origins (decisions §4): without allowed domains every origin
/// may (<c>Access-Control-Allow-Origin: *</c>); with them, an allowed <c>Origin</c> is echoed (with
/// <c>Vary: Origin</c>) and any other gets no <c>Access-Control-Allow-Origin</c>. <c>OPTIONS</c>
/// answers preflight requests.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ContentApiCorsTests(TesseraFactory factory)
{
    private const string AllowOrigin = "Access-Control-Allow-Origin";

    [Fact]
    public async Task Without_allowed_domains_every_origin_may_read()
    {
        var api = await factory.NewStackClientAsync();
        await api.CreateTileAsync("message=m");

        var withOrigin = await api.PublicContentAsync(configure: Header("Origin", "https://anyone.example"));
        withOrigin.AssertOk();
        Assert.Equal("*", HeaderOf(withOrigin, AllowOrigin));
        Assert.Equal("*", HeaderOf(await api.PublicContentAsync(), AllowOrigin));
        var notModified = await api.PublicContentAsync(configure: r =>
        {
            Header("Origin", "https://anyone.example")(r);
            Header("If-None-Match", ETagOf(withOrigin))(r);
        });
        Assert.Equal(HttpStatusCode.NotModified, notModified.Status);
        Assert.Equal("*", HeaderOf(notModified, AllowOrigin));
    }

    [Fact]
    public async Task A_preflight_without_allowed_domains_allows_any_origin()
    {
        var api = await factory.NewStackClientAsync();

        var response = await PreflightAsync(api, "https://anyone.example");

        Assert.Equal(HttpStatusCode.NoContent, response.Status);
        Assert.Empty(response.Body);
        Assert.Equal("*", HeaderOf(response, AllowOrigin));
        Assert.Contains("GET", HeaderOf(response, "Access-Control-Allow-Methods") ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("If-None-Match", HeaderOf(response, "Access-Control-Allow-Headers") ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://shop.example.com")]
    [InlineData("https://example.org")]
    [InlineData("http://example.org:8080")]
    [InlineData("https://www.example.net")]
    [InlineData("https://a.b.example.net")]
    public async Task An_allowed_origin_is_echoed_with_vary_origin(string origin)
    {
        var api = await factory.NewStackClientAsync();
        await api.CreateTileAsync("message=m");
        await AllowAsync(api, "https://shop.example.com,example.org,*.example.net");

        var response = await api.PublicContentAsync(configure: Header("Origin", origin));
        Assert.Single(Ids(response));
        Assert.Equal(origin, HeaderOf(response, AllowOrigin));
        Assert.Contains("Origin", HeaderOf(response, "Vary") ?? string.Empty, StringComparison.Ordinal);

        var preflight = await PreflightAsync(api, origin);
        Assert.Equal(HttpStatusCode.NoContent, preflight.Status);
        Assert.Equal(origin, HeaderOf(preflight, AllowOrigin));
        Assert.Contains("GET", HeaderOf(preflight, "Access-Control-Allow-Methods") ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://shop.example.com")]
    [InlineData("https://shop.example.com:8443")]
    [InlineData("https://example.net")]
    [InlineData("https://notexample.org")]
    [InlineData("https://example.org.evil.example")]
    [InlineData("null")]
    [InlineData("")]
    public async Task A_refused_origin_gets_no_allow_origin(string origin)
    {
        var api = await factory.NewStackClientAsync();
        await api.CreateTileAsync("message=m");
        await AllowAsync(api, "https://shop.example.com,example.org,*.example.net");

        var response = await api.PublicContentAsync(configure: origin.Length == 0 ? null : Header("Origin", origin));
        response.AssertOk();
        Assert.Null(HeaderOf(response, AllowOrigin));
        Assert.Contains("Origin", HeaderOf(response, "Vary") ?? string.Empty, StringComparison.Ordinal);

        var preflight = await PreflightAsync(api, origin);
        Assert.Equal(HttpStatusCode.NoContent, preflight.Status);
        Assert.Null(HeaderOf(preflight, AllowOrigin));
        Assert.Null(HeaderOf(preflight, "Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task Changing_the_allowed_domains_applies_to_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        await api.CreateTileAsync("message=m");
        const string origin = "https://shop.example.com";
        Assert.Equal("*", HeaderOf(await api.PublicContentAsync(configure: Header("Origin", origin)), AllowOrigin));
        Assert.Equal("*", HeaderOf(await PreflightAsync(api, origin), AllowOrigin));

        await AllowAsync(api, "other.example");
        Assert.Null(HeaderOf(await api.PublicContentAsync(configure: Header("Origin", origin)), AllowOrigin));
        Assert.Null(HeaderOf(await PreflightAsync(api, origin), AllowOrigin));

        await AllowAsync(api, "shop.example.com");
        Assert.Equal(origin, HeaderOf(await api.PublicContentAsync(configure: Header("Origin", origin)), AllowOrigin));

        await AllowAsync(api, string.Empty);
        Assert.Equal("*", HeaderOf(await api.PublicContentAsync(configure: Header("Origin", origin)), AllowOrigin));
    }

    [Fact]
    public async Task A_preflight_for_an_unknown_plugin_is_404()
    {
        var api = await factory.NewStackClientAsync();

        var response = await api.SendAsync(HttpMethod.Options, Path(new string('A', 32)), configure: Header("Origin", "https://anyone.example"));

        AssertPluginNotFound(response);
    }

    private static Task<ApiResponse> PreflightAsync(ApiClient api, string origin) =>
        api.SendAsync(HttpMethod.Options, Path(api.ContentApiPluginId), configure: request =>
        {
            if (origin.Length > 0)
            {
                request.Headers.Add("Origin", origin);
            }

            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "if-none-match");
        });

    private static async Task AllowAsync(ApiClient api, string domains) =>
        (await api.PutQueryAsync("contentapi", $"allowed_domains={Uri.EscapeDataString(domains)}")).AssertOk();
}
