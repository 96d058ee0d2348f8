using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Auth;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.OAuth;

/// <summary>The authorization-code flow as the PHP SDK and a browser drive it, through real HTTP redirects.</summary>
public sealed class OAuthFlowTests(TesseraFactory factory) : IClassFixture<TesseraFactory>
{
    [Fact]
    public async Task Sdk_flow_goes_from_authorize_through_login_and_consent_to_a_token_that_calls_the_api_and_refreshes()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var browser = Browser.Open(factory);

        // The SDK's link (Credentials::getAccessUri) opens the login form.
        var login = await browser.GetAsync(Browser.AuthorizeUrl(app));
        login.AssertLoginForm();
        Assert.Contains(app.Stack.Stack, login.Html, StringComparison.Ordinal);
        Assert.Equal(app.ClientId, login.Hidden["client_id"]);
        Assert.Equal(app.RedirectUri, login.Hidden["redirect_uri"]);
        Assert.Equal(OAuthKit.SdkState, login.Hidden["state"]);

        var consent = await browser.SubmitAsync(login, ("username", app.Username), ("password", OAuthKit.Password));
        Assert.Equal(HttpStatusCode.OK, consent.Status);
        Assert.Contains($"<strong>Acme Sync</strong> wants to act as <strong>admin</strong> on stack <strong>{app.Stack.Stack}</strong>", consent.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(OAuthKit.Password, consent.Html, StringComparison.Ordinal);

        var redirect = await browser.SubmitAsync(consent, ("decision", "allow"));
        var callback = redirect.AssertRedirectTo(app.RedirectUri + "?code=");
        Assert.Equal(OAuthKit.SdkState, callback["state"]);
        var code = callback["code"]!;

        // callback.php: POST oauth2/token?access_token=&stack=S with the five form fields.
        var issued = await OAuthKit.RedeemAsync(factory.CreateClient(), app, code);
        var (access, refresh) = OAuthKit.Tokens(issued);

        var api = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await OAuthKit.CallApiAsync(api, app, access));

        var refreshed = OAuthKit.Tokens(await OAuthKit.RefreshAsync(api, app, refresh));
        Assert.NotEqual(access, refreshed.Access);
        Assert.NotEqual(refresh, refreshed.Refresh);
        Assert.Equal(HttpStatusCode.Unauthorized, await OAuthKit.CallApiAsync(api, app, access));
        Assert.Equal(HttpStatusCode.OK, await OAuthKit.CallApiAsync(api, app, refreshed.Access));

        // The new refresh token rotates again; the first one is spent.
        var again = OAuthKit.Tokens(await OAuthKit.RefreshAsync(api, app, refreshed.Refresh));
        Assert.Equal(HttpStatusCode.OK, await OAuthKit.CallApiAsync(api, app, again.Access));
        OAuthKit.AssertOAuthError(await OAuthKit.RefreshAsync(api, app, refresh), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Token_answer_is_exactly_the_four_stackla_keys_without_envelope_and_not_cacheable()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var code = await Browser.Open(factory).AuthorizeAsync(app);

        var response = await OAuthKit.RedeemAsync(factory.CreateClient(), app, code);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("no-store", response.Headers["Cache-Control"]);
        Assert.Equal(["access_token", "refresh_token", "token_type", "expires_in"], response.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Bearer", response.Json.GetProperty("token_type").GetString());
        Assert.Equal(31_536_000, response.Json.GetProperty("expires_in").GetInt64());
        Assert.Equal(64, response.Json.GetProperty("access_token").GetString()!.Length);
    }

    [Fact]
    public async Task Token_endpoint_takes_all_parameters_in_the_query_string_of_a_post()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var code = await Browser.Open(factory).AuthorizeAsync(app);

        var url = $"/api/oauth2/token?client_id={app.ClientId}&client_secret={app.ClientSecret}&grant_type=authorization_code&code={code}&redirect_uri={Uri.EscapeDataString(app.RedirectUri)}";
        using var response = await factory.CreateClient().PostAsync(url, null);
        var answer = await ApiResponse.ReadAsync(response);

        var (access, _) = OAuthKit.Tokens(answer);
        Assert.Equal(HttpStatusCode.OK, await OAuthKit.CallApiAsync(factory.CreateClient(), app, access));
    }

    [Fact]
    public async Task App_may_authenticate_with_http_basic_and_a_bad_basic_secret_gets_a_challenge()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var code = await Browser.Open(factory).AuthorizeAsync(app);
        var http = factory.CreateClient();
        (string, string)[] form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", app.RedirectUri)];

        var refused = await OAuthKit.SendTokenAsync(http, "/api/oauth2/token", form, r => r.Headers.Authorization = Basic(app.ClientId, "not-the-secret"));
        OAuthKit.AssertOAuthError(refused, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic", refused.Headers["WWW-Authenticate"], StringComparison.Ordinal);

        var issued = await OAuthKit.SendTokenAsync(http, "/api/oauth2/token", form, r => r.Headers.Authorization = Basic(app.ClientId, app.ClientSecret));
        OAuthKit.Tokens(issued);
    }

    [Fact]
    public async Task Token_of_an_app_acts_as_the_user_who_allowed_it_on_that_users_stack()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var editor = await OAuthKit.AddUserAsync(factory, app.Stack.StackId, "editor", OAuthKit.Password);
        var browser = Browser.Open(factory);
        var code = await browser.AuthorizeAsync(app, "editor");
        var (access, _) = OAuthKit.Tokens(await OAuthKit.RedeemAsync(factory.CreateClient(), app, code));

        var token = await OAuthKit.QueryAsync(factory, db => db.AccessTokens.SingleAsync(t => t.TokenHash == Tessera.Server.Auth.Secrets.Hash(access)));
        Assert.Equal(editor.Id, token.UserId);
        Assert.Equal(app.Stack.StackId, token.StackId);
        Assert.Equal(Tessera.Server.Auth.TokenScope.ReadWrite, token.Scope);
        Assert.NotNull(token.OAuthClientId);

        // Another stack is out of reach (decisions §2.1).
        var other = await factory.CreateStackAsync();
        var response = await factory.CreateClient().GetAsync($"/api/filters?access_token={access}&stack={other.Stack}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Redirect_uri_with_a_query_gets_code_and_state_appended_with_an_ampersand()
    {
        var app = await OAuthKit.RegisterAsync(factory, "https://app.example/cb?tenant=7");
        var consent = await Browser.Open(factory).SignInAsync(app, state: "a b&c");
        var redirect = await Browser.Open(factory).SubmitAsync(consent, ("decision", "allow"));

        // Another browser lacks the cookie: the consent is refused. The same browser gets the code.
        redirect.AssertErrorPage(HttpStatusCode.BadRequest);
        var browser = Browser.Open(factory);
        consent = await browser.SignInAsync(app, state: "a b&c");
        redirect = await browser.SubmitAsync(consent, ("decision", "allow"));
        Assert.StartsWith("https://app.example/cb?tenant=7&code=", redirect.Location, StringComparison.Ordinal);
        var query = redirect.AssertRedirectTo(app.RedirectUri);
        Assert.Equal("7", query["tenant"]);
        Assert.Equal("a b&c", query["state"]);
    }

    [Fact]
    public async Task Longest_redirect_uri_and_state_full_of_ampersands_come_back_intact_after_consent()
    {
        var redirectUri = "https://app.example/cb?q=" + string.Concat(Enumerable.Repeat("a&", 1011));
        Assert.Equal(2047, redirectUri.Length);
        var state = new string('&', 1024);
        var app = await OAuthKit.RegisterAsync(factory, redirectUri);
        var browser = Browser.Open(factory);

        var code = await browser.AuthorizeAsync(app, state: state);

        OAuthKit.Tokens(await OAuthKit.RedeemAsync(factory.CreateClient(), app, code));
    }

    [Fact]
    public async Task Pages_are_encoded_unframeable_uncached_and_limit_forms_to_this_server_and_the_app()
    {
        var app = await OAuthKit.RegisterAsync(factory, name: "<script>alert(1)</script> & Co");
        var browser = Browser.Open(factory);
        var login = await browser.GetAsync(Browser.AuthorizeUrl(app, state: "\"><b>x</b>"));

        Assert.DoesNotContain("<script>", login.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>x</b>", login.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", login.Html, StringComparison.Ordinal);
        Assert.Equal("\"><b>x</b>", login.Hidden["state"]);
        Assert.Equal("DENY", login.Headers["X-Frame-Options"]);
        Assert.Equal("no-store", login.Headers["Cache-Control"]);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https://app.example; frame-ancestors 'none'; base-uri 'none'", login.Headers["Content-Security-Policy"]);
        Assert.Contains("HttpOnly", login.Headers["Set-Cookie"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", login.Headers["Set-Cookie"], StringComparison.OrdinalIgnoreCase);

        var consent = await browser.SubmitAsync(login, ("username", app.Username), ("password", OAuthKit.Password));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co", consent.Html, StringComparison.Ordinal);
        Assert.Equal(login.Headers["Content-Security-Policy"], consent.Headers["Content-Security-Policy"]);

        var redirect = await browser.SubmitAsync(consent, ("decision", "allow"));
        Assert.Equal("no-store", redirect.Headers["Cache-Control"]);
    }

    [Fact]
    public async Task Authorize_also_accepts_the_parameters_as_a_post_and_falls_back_to_the_registered_redirect_uri()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var browser = Browser.Open(factory);
        var login = await browser.PostAsync("/api/oauth2/authenticate", new Dictionary<string, string> { ["response_type"] = "code", ["client_id"] = app.ClientId });

        login.AssertLoginForm();
        Assert.Equal(app.RedirectUri, login.Hidden["redirect_uri"]);
        Assert.False(login.Hidden.ContainsKey("state"));
        var consent = await browser.SubmitAsync(login, ("username", app.Username), ("password", OAuthKit.Password));
        var query = (await browser.SubmitAsync(consent, ("decision", "allow"))).AssertRedirectTo(app.RedirectUri);
        Assert.False(query.ContainsKey("state"));

        // Without redirect_uri at authorize, the token request may leave it out too: the code is bound to the app's one URI.
        var issued = await OAuthKit.TokenAsync(factory.CreateClient(), app, ("client_id", app.ClientId), ("client_secret", app.ClientSecret), ("grant_type", "authorization_code"), ("code", query["code"]!));
        OAuthKit.Tokens(issued);
    }

    [Fact]
    public async Task Tokens_of_one_app_share_one_rate_limit_budget()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var second = await OAuthKit.AddUserAsync(factory, app.Stack.StackId, "second", OAuthKit.Password);
        var (first, _) = OAuthKit.Tokens(await OAuthKit.RedeemAsync(factory.CreateClient(), app, await Browser.Open(factory).AuthorizeAsync(app)));
        var (other, _) = OAuthKit.Tokens(await OAuthKit.RedeemAsync(factory.CreateClient(), app, await Browser.Open(factory).AuthorizeAsync(app, second.Username)));
        var admin = app.Stack.AccessToken;

        await using var limited = factory.With(("Tessera:RateLimit:Requests", "5"));
        var http = limited.CreateClient();
        async Task<(HttpStatusCode Status, string Remaining)> CallAsync(string token)
        {
            using var response = await http.GetAsync($"/api/filters?access_token={token}&stack={app.Stack.Stack}");
            return (response.StatusCode, response.Headers.GetValues("X-API-Remaining-Requests").Single());
        }

        Assert.Equal((HttpStatusCode.OK, "4"), await CallAsync(first));
        Assert.Equal((HttpStatusCode.OK, "3"), await CallAsync(first));
        Assert.Equal((HttpStatusCode.OK, "2"), await CallAsync(other));
        Assert.Equal((HttpStatusCode.OK, "4"), await CallAsync(admin)); // a token made by an admin has its own budget
        Assert.Equal((HttpStatusCode.OK, "1"), await CallAsync(first));
        Assert.Equal((HttpStatusCode.OK, "0"), await CallAsync(other));
        Assert.Equal(HttpStatusCode.Forbidden, (await CallAsync(first)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await CallAsync(other)).Status);
    }

    [Fact]
    public async Task Only_one_of_two_concurrent_redemptions_of_a_code_succeeds()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var code = await Browser.Open(factory).AuthorizeAsync(app);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OAuthKit.RedeemAsync(factory.CreateClient(), app, code)));

        Assert.True(answers.Count(a => a.Status == HttpStatusCode.OK) == 1, string.Join("\n", answers.Select(a => a.Body)));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => OAuthKit.AssertOAuthError(a, HttpStatusCode.BadRequest, "invalid_grant"));

        // Whatever won was revoked by the losers' reuse: the code leaked, nothing it bought stays valid.
        var live = await OAuthKit.QueryAsync(factory, db => db.AccessTokens.CountAsync(t => t.StackId == app.Stack.StackId && t.OAuthClientId != null && t.RevokedAt == null));
        Assert.Equal(0, live);
    }

    [Fact]
    public async Task Revoking_an_app_stops_its_access_tokens_but_not_the_users_own()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var (access, _) = OAuthKit.Tokens(await OAuthKit.RedeemAsync(factory.CreateClient(), app, await Browser.Open(factory).AuthorizeAsync(app)));
        var http = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await OAuthKit.CallApiAsync(http, app, access));

        await OAuthKit.QueryAsync(factory, db => db.OAuthClients.Where(c => c.ClientId == app.ClientId).ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, 9L)));
        factory.Services.GetRequiredService<TokenCache>().Invalidate();

        Assert.Equal(HttpStatusCode.Unauthorized, await OAuthKit.CallApiAsync(http, app, access));
        Assert.Equal(HttpStatusCode.OK, await OAuthKit.CallApiAsync(http, app, app.Stack.AccessToken));
    }

    private static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}")));
}
