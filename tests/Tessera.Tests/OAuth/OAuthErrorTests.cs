using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tessera.Server.Auth;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.OAuth;

/// <summary>The error cases of RFC 6749 (§4.1.2.1 at the authorization endpoint, §5.2 at the token endpoint).</summary>
public sealed class OAuthErrorTests(TesseraFactory factory) : IClassFixture<TesseraFactory>
{
    [Fact]
    public async Task Wrong_client_secret_is_401_invalid_client()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var code = await Browser.Open(factory).AuthorizeAsync(app);

        var wrongSecret = (app.ClientSecret[0] == '0' ? "1" : "0") + app.ClientSecret[1..];
        var refused = await OAuthKit.RedeemAsync(factory.CreateClient(), app, code, secret: wrongSecret);

        OAuthKit.AssertOAuthError(refused, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.False(refused.Headers.ContainsKey("WWW-Authenticate")); // only when Basic was used
        OAuthKit.Tokens(await OAuthKit.RedeemAsync(factory.CreateClient(), app, code)); // the code was not spent
    }

    [Fact]
    public async Task Unknown_or_missing_client_is_401_invalid_client_at_the_token_endpoint()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var http = factory.CreateClient();

        OAuthKit.AssertOAuthError(
            await OAuthKit.TokenAsync(http, app, ("client_id", "nosuchclient"), ("client_secret", app.ClientSecret), ("grant_type", "authorization_code"), ("code", "x")),
            HttpStatusCode.Unauthorized, "invalid_client");
        OAuthKit.AssertOAuthError(await OAuthKit.TokenAsync(http, app, ("grant_type", "authorization_code"), ("code", "x")), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Unknown_client_at_authorize_gets_an_error_page_and_no_redirect()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var page = await Browser.Open(factory).GetAsync(Browser.AuthorizeUrl(app with { ClientId = "nosuchclient" }));

        page.AssertErrorPage(HttpStatusCode.BadRequest);
        Assert.Contains("client_id", page.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reused_code_is_invalid_grant_and_revokes_the_tokens_of_its_first_redemption()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var code = await Browser.Open(factory).AuthorizeAsync(app);
        var http = factory.CreateClient();
        var (access, refresh) = OAuthKit.Tokens(await OAuthKit.RedeemAsync(http, app, code));
        Assert.Equal(HttpStatusCode.OK, await OAuthKit.CallApiAsync(http, app, access));

        OAuthKit.AssertOAuthError(await OAuthKit.RedeemAsync(http, app, code), HttpStatusCode.BadRequest, "invalid_grant");

        Assert.Equal(HttpStatusCode.Unauthorized, await OAuthKit.CallApiAsync(http, app, access));
        OAuthKit.AssertOAuthError(await OAuthKit.RefreshAsync(http, app, refresh), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Code_refresh_token_and_access_token_of_a_user_who_became_pending_are_refused()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var user = await OAuthKit.AddUserAsync(factory, app.Stack.StackId, "rejoiner", OAuthKit.Password);
        var http = factory.CreateClient();
        var (access, refresh) = OAuthKit.Tokens(await OAuthKit.RedeemAsync(http, app, await Browser.Open(factory).AuthorizeAsync(app, user.Username)));
        var code = await Browser.Open(factory).AuthorizeAsync(app, user.Username);

        // Removed and invited again: pending until the new invitation is accepted.
        var invitation = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await OAuthKit.QueryAsync(factory, db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.InvitationHash, invitation)));
        factory.Services.GetRequiredService<TokenCache>().Invalidate();

        OAuthKit.AssertOAuthError(await OAuthKit.RedeemAsync(http, app, code), HttpStatusCode.BadRequest, "invalid_grant");
        OAuthKit.AssertOAuthError(await OAuthKit.RefreshAsync(http, app, refresh), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(HttpStatusCode.Unauthorized, await OAuthKit.CallApiAsync(http, app, access));
    }

    [Fact]
    public async Task Code_of_another_app_is_invalid_grant()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var other = await OAuthKit.RegisterAsync(factory, "https://other.example/cb");
        var code = await Browser.Open(factory).AuthorizeAsync(app);

        var refused = await OAuthKit.RedeemAsync(factory.CreateClient(), other, code, redirectUri: app.RedirectUri);

        OAuthKit.AssertOAuthError(refused, HttpStatusCode.BadRequest, "invalid_grant");
        OAuthKit.Tokens(await OAuthKit.RedeemAsync(factory.CreateClient(), app, code));
    }

    [Theory]
    [InlineData("https://evil.example/callback")]
    [InlineData("https://app.example/callback/")]
    [InlineData("https://app.example/callback?x=1")]
    [InlineData("HTTPS://app.example/callback")]
    public async Task Redirect_uri_other_than_the_registered_one_gets_an_error_page_and_no_redirect(string redirectUri)
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var page = await Browser.Open(factory).GetAsync(Browser.AuthorizeUrl(app, redirectUri: redirectUri));

        page.AssertErrorPage(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("evil.example", page.Headers.GetValueOrDefault("Location") ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirect_uri_at_the_token_endpoint_must_equal_the_one_of_the_code()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var code = await Browser.Open(factory).AuthorizeAsync(app);

        var refused = await OAuthKit.RedeemAsync(factory.CreateClient(), app, code, redirectUri: "https://app.example/other");

        OAuthKit.AssertOAuthError(refused, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Expired_code_is_invalid_grant()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = OAuthKit.OnClock(factory, clock);
        var app = await OAuthKit.RegisterAsync(server);
        var code = await Browser.Open(server).AuthorizeAsync(app);

        clock.Advance(TimeSpan.FromSeconds(60));
        var refused = await OAuthKit.RedeemAsync(server.CreateClient(), app, code);

        OAuthKit.AssertOAuthError(refused, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Contains("expired", refused.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_is_still_good_just_before_its_minute_is_up()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = OAuthKit.OnClock(factory, clock);
        var app = await OAuthKit.RegisterAsync(server);
        var code = await Browser.Open(server).AuthorizeAsync(app);

        clock.Advance(TimeSpan.FromSeconds(58));
        OAuthKit.Tokens(await OAuthKit.RedeemAsync(server.CreateClient(), app, code));
    }

    [Fact]
    public async Task Unsupported_grant_type_missing_parameters_and_scopes_are_refused_with_their_rfc_codes()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var http = factory.CreateClient();
        (string, string)[] client = [("client_id", app.ClientId), ("client_secret", app.ClientSecret)];

        OAuthKit.AssertOAuthError(await OAuthKit.TokenAsync(http, app, [.. client, ("grant_type", "password"), ("username", "admin"), ("password", OAuthKit.Password)]), HttpStatusCode.BadRequest, "unsupported_grant_type");
        OAuthKit.AssertOAuthError(await OAuthKit.TokenAsync(http, app, [.. client, ("code", "abc")]), HttpStatusCode.BadRequest, "invalid_request");
        OAuthKit.AssertOAuthError(await OAuthKit.TokenAsync(http, app, [.. client, ("grant_type", "authorization_code")]), HttpStatusCode.BadRequest, "invalid_request");
        OAuthKit.AssertOAuthError(await OAuthKit.TokenAsync(http, app, [.. client, ("grant_type", "refresh_token")]), HttpStatusCode.BadRequest, "invalid_request");
        OAuthKit.AssertOAuthError(await OAuthKit.TokenAsync(http, app, [.. client, ("grant_type", "authorization_code"), ("code", "abc"), ("scope", "admin")]), HttpStatusCode.BadRequest, "invalid_scope");
        OAuthKit.AssertOAuthError(await OAuthKit.TokenAsync(http, app, [.. client, ("grant_type", "authorization_code"), ("code", "not-a-code")]), HttpStatusCode.BadRequest, "invalid_grant");
        OAuthKit.AssertOAuthError(await OAuthKit.TokenAsync(http, app, [.. client, ("grant_type", "refresh_token"), ("refresh_token", "not-a-token")]), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Token_endpoint_answers_other_methods_and_unreadable_bodies_in_its_own_json()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var http = factory.CreateClient();

        using var get = await http.GetAsync($"/api/oauth2/token?access_token=&stack={app.Stack.Stack}");
        OAuthKit.AssertOAuthError(await ApiResponse.ReadAsync(get), HttpStatusCode.MethodNotAllowed, "invalid_request");

        var bad = new ByteArrayContent([0x63, 0x6f, 0x64, 0x65, 0x3d, 0xff, 0xfe]);
        bad.Headers.ContentType = new("application/x-www-form-urlencoded");
        using var unreadable = await http.PostAsync("/api/oauth2/token", bad);
        OAuthKit.AssertOAuthError(await ApiResponse.ReadAsync(unreadable), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Rate_limit_refusals_keep_the_token_endpoints_json_and_the_login_pages_html()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        await using var limited = factory.With(("Tessera:RateLimit:Requests", "1"));
        var http = limited.CreateClient();
        OAuthKit.AssertOAuthError(await OAuthKit.TokenAsync(http, app, ("grant_type", "authorization_code")), HttpStatusCode.Unauthorized, "invalid_client");

        var limitedToken = await OAuthKit.TokenAsync(http, app, ("grant_type", "authorization_code"));
        OAuthKit.AssertOAuthError(limitedToken, HttpStatusCode.Forbidden, "rate_limit_exceeded");
        Assert.True(limitedToken.Headers.ContainsKey("Retry-After"));

        var page = await Browser.Open(limited).GetAsync(Browser.AuthorizeUrl(app));
        page.AssertErrorPage(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Unsupported_or_missing_response_type_redirects_back_with_the_error_and_the_state()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var browser = Browser.Open(factory);

        var token = (await browser.GetAsync(Browser.AuthorizeUrl(app, responseType: "token"))).AssertRedirectTo(app.RedirectUri);
        Assert.Equal("unsupported_response_type", token["error"]);
        Assert.Equal(OAuthKit.SdkState, token["state"]);

        var missing = (await browser.GetAsync(Browser.AuthorizeUrl(app, responseType: string.Empty))).AssertRedirectTo(app.RedirectUri);
        Assert.Equal("invalid_request", missing["error"]);
        Assert.Equal(OAuthKit.SdkState, missing["state"]);
    }

    [Fact]
    public async Task Deny_at_consent_redirects_with_access_denied_and_the_state_and_no_code()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var browser = Browser.Open(factory);
        var consent = await browser.SignInAsync(app);

        var query = (await browser.SubmitAsync(consent, ("decision", "deny"))).AssertRedirectTo(app.RedirectUri);

        Assert.Equal("access_denied", query["error"]);
        Assert.Equal(OAuthKit.SdkState, query["state"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Refresh_token_replay_is_invalid_grant_and_revokes_the_apps_tokens_for_the_user()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var http = factory.CreateClient();
        var (_, refresh) = OAuthKit.Tokens(await OAuthKit.RedeemAsync(http, app, await Browser.Open(factory).AuthorizeAsync(app)));
        var rotated = OAuthKit.Tokens(await OAuthKit.RefreshAsync(http, app, refresh));
        Assert.Equal(HttpStatusCode.OK, await OAuthKit.CallApiAsync(http, app, rotated.Access));

        OAuthKit.AssertOAuthError(await OAuthKit.RefreshAsync(http, app, refresh), HttpStatusCode.BadRequest, "invalid_grant");

        // Someone else held the old refresh token: the pair rotated from it is revoked too.
        Assert.Equal(HttpStatusCode.Unauthorized, await OAuthKit.CallApiAsync(http, app, rotated.Access));
        OAuthKit.AssertOAuthError(await OAuthKit.RefreshAsync(http, app, rotated.Refresh), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(HttpStatusCode.OK, await OAuthKit.CallApiAsync(http, app, app.Stack.AccessToken)); // an admin's own token is untouched
    }

    [Fact]
    public async Task Refresh_token_of_another_app_is_invalid_grant()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var other = await OAuthKit.RegisterAsync(factory, "https://other.example/cb");
        var http = factory.CreateClient();
        var (access, refresh) = OAuthKit.Tokens(await OAuthKit.RedeemAsync(http, app, await Browser.Open(factory).AuthorizeAsync(app)));

        OAuthKit.AssertOAuthError(await OAuthKit.RefreshAsync(http, other, refresh), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(HttpStatusCode.OK, await OAuthKit.CallApiAsync(http, app, access));
    }
}
