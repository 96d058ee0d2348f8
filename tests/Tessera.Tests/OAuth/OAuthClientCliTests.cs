using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Auth;
using Tessera.Server.Data;
using Tessera.Server.Features.OAuth;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.OAuth;

/// <summary><c>tessera oauth-client create</c> through the real process.</summary>
public sealed class OAuthClientCliTests
{
    [Fact]
    public async Task Oauth_client_create_json_prints_the_id_and_secret_and_stores_only_the_secrets_hash()
    {
        await using var factory = new TesseraFactory();
        var database = factory.ConnectionString;
        Assert.Equal(0, (await CliProcess.RunAsync(database, "stack", "create", "acme", "--json")).Exit);

        var (exit, stdout, stderr) = await CliProcess.RunAsync(database, "oauth-client", "create", "--stack", "acme", "--redirect-uri", "https://wp.example/?stackla=1", "--name", "WordPress", "--json");

        Assert.True(exit == 0, stderr);
        using var printed = JsonDocument.Parse(stdout);
        var root = printed.RootElement;
        Assert.Equal(["stack", "client_id", "client_secret", "redirect_uri", "name"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("acme", root.GetProperty("stack").GetString());
        Assert.Equal("WordPress", root.GetProperty("name").GetString());
        Assert.Equal("https://wp.example/?stackla=1", root.GetProperty("redirect_uri").GetString());
        var clientId = root.GetProperty("client_id").GetString()!;
        var secret = root.GetProperty("client_secret").GetString()!;
        Assert.Matches("^[a-f0-9]{32}$", clientId);
        Assert.Matches("^[a-f0-9]{64}$", secret);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var stored = await db.OAuthClients.AsNoTracking().SingleAsync(c => c.ClientId == clientId);
        Assert.Equal(Secrets.Hash(secret), stored.SecretHash);
        Assert.NotEqual(secret, stored.SecretHash);
        Assert.Equal("https://wp.example/?stackla=1", stored.RedirectUri);
    }

    [Fact]
    public async Task Oauth_client_revoke_stops_the_app_and_its_tokens_and_list_shows_it()
    {
        await using var factory = TesseraFactory.WithSettings(("Tessera:Auth:TokenCacheSeconds", "0"));
        var app = await OAuthKit.RegisterAsync(factory);
        var http = factory.CreateClient();
        var (access, refresh) = OAuthKit.Tokens(await OAuthKit.RedeemAsync(http, app, await Browser.Open(factory).AuthorizeAsync(app)));
        Assert.Equal(System.Net.HttpStatusCode.OK, await OAuthKit.CallApiAsync(http, app, access));

        var (exit, stdout, stderr) = await CliProcess.RunAsync(factory.ConnectionString, "oauth-client", "revoke", "--stack", app.Stack.Stack, app.ClientId, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Equal(1, JsonDocument.Parse(stdout).RootElement.GetProperty("revoked_tokens").GetInt32());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await OAuthKit.CallApiAsync(http, app, access));
        OAuthKit.AssertOAuthError(await OAuthKit.RefreshAsync(http, app, refresh), System.Net.HttpStatusCode.Unauthorized, "invalid_client");
        (exit, stdout, stderr) = await CliProcess.RunAsync(factory.ConnectionString, "oauth-client", "list", "--stack", app.Stack.Stack, "--json");
        Assert.True(exit == 0, stderr);
        var listed = Assert.Single(JsonDocument.Parse(stdout).RootElement.EnumerateArray());
        Assert.Equal(app.ClientId, listed.GetProperty("client_id").GetString());
        Assert.True(listed.GetProperty("revoked_at").GetInt64() > 0);
        Assert.Equal(0, listed.GetProperty("active_tokens").GetInt32());
        Assert.False(listed.TryGetProperty("client_secret", out _));
        Assert.Equal(2, (await CliProcess.RunAsync(factory.ConnectionString, "oauth-client", "revoke", "--stack", app.Stack.Stack, "nosuchapp")).Exit);
    }

    [Theory]
    [InlineData("http://app.example/cb", "https")]
    [InlineData("https://app.example/cb#top", "fragment")]
    [InlineData("callback", "absolute")]
    public async Task Oauth_client_create_refuses_an_unsafe_redirect_uri(string redirectUri, string reason)
    {
        await using var factory = new TesseraFactory();
        Assert.Equal(0, (await CliProcess.RunAsync(factory.ConnectionString, "stack", "create", "acme")).Exit);

        var (exit, _, stderr) = await CliProcess.RunAsync(factory.ConnectionString, "oauth-client", "create", "--stack", "acme", "--redirect-uri", redirectUri);

        Assert.Equal(2, exit);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
    }
}

/// <summary>The redirect URI rule of app registration.</summary>
public sealed class RedirectUriRuleTests
{
    [Theory]
    [InlineData("https://app.example/callback")]
    [InlineData("https://app.example:8443/cb?x=1&y=2")]
    [InlineData("http://127.0.0.1:8080/cb")]
    [InlineData("http://localhost/cb")]
    [InlineData("http://[::1]:9000/cb")]
    public void Https_urls_and_loopback_http_urls_are_accepted(string uri) => Assert.Null(OAuthClients.RedirectUriProblem(uri));

    [Theory]
    [InlineData("")]
    [InlineData("app.example/cb")]
    [InlineData("http://app.example/cb")]
    [InlineData("http://10.0.0.1/cb")]
    [InlineData("https://app.example/cb#frag")]
    [InlineData("https://user:pw@app.example/cb")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://app.example/cb")]
    [InlineData("https://app.example/ü")]
    [InlineData("https://app.example/a b")]
    public void Other_urls_are_refused(string uri) => Assert.NotNull(OAuthClients.RedirectUriProblem(uri));

    [Fact]
    public void Very_long_urls_are_refused() =>
        Assert.NotNull(OAuthClients.RedirectUriProblem("https://app.example/" + new string('a', 2048)));
}
