using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tessera.Server.Auth;
using Tessera.Server.Data;
using Tessera.Server.Features.OAuth;
using Tessera.Server.Features.Stacks;
using Tessera.Server.Features.Users;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.OAuth;

/// <summary>An app registered on a new stack whose admin user has <see cref="OAuthKit.Password"/>.</summary>
internal sealed record OAuthApp(StackCreated Stack, string ClientId, string ClientSecret, string RedirectUri, string Name)
{
    public string Username { get; init; } = StackProvisioner.AdminUsername;
}

/// <summary>Arranges apps and users, and speaks to the token endpoint as the PHP SDK does.</summary>
internal static class OAuthKit
{
    public const string Password = "correct horse battery staple";
    public const string SdkState = "stackla-php-sdk";

    public static async Task<OAuthApp> RegisterAsync(WebApplicationFactory<Program> server, string redirectUri = "https://app.example/callback", string name = "Acme Sync")
    {
        var stack = await TesseraFactory.CreateStackAsync(server, "o");
        await using var scope = server.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<OAuthClients>().CreateAsync(stack.Stack, redirectUri, name, CancellationToken.None);
        await SetPasswordAsync(server, stack.StackId, StackProvisioner.AdminUsername, Password);
        return new OAuthApp(stack, created.ClientId, created.ClientSecret, redirectUri, name);
    }

    /// <summary>Sets a password the way the users feature stores it (Identity's hasher).</summary>
    public static async Task SetPasswordAsync(WebApplicationFactory<Program> server, int stackId, string username, string password)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var user = await db.Users.SingleAsync(u => u.StackId == stackId && u.Username == username);
        UserPasswords.Set(user, password);
        await db.SaveChangesAsync();
    }

    /// <summary>Adds a user to a stack; <paramref name="change"/> may remove it, leave it pending, …</summary>
    public static async Task<User> AddUserAsync(WebApplicationFactory<Program> server, int stackId, string username, string? password, Action<User>? change = null)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var user = new User { StackId = stackId, Username = username, AclGroups = AclGroups.Admin, CreatedAt = 1 };
        if (password is not null)
        {
            UserPasswords.Set(user, password);
        }

        change?.Invoke(user);
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    public static async Task<T> QueryAsync<T>(WebApplicationFactory<Program> server, Func<TesseraDbContext, Task<T>> query)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TesseraDbContext>());
    }

    /// <summary>A server of <paramref name="factory"/> (same database) whose clock is <paramref name="clock"/>.</summary>
    public static WebApplicationFactory<Program> OnClock(TesseraFactory factory, FakeTimeProvider clock) =>
        factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));

    /// <summary><c>POST /api/oauth2/token?access_token=&amp;stack={S}</c> with a form body, exactly as the SDK's <c>generateToken</c>.</summary>
    public static Task<ApiResponse> TokenAsync(HttpClient http, OAuthApp app, params (string Name, string Value)[] form) =>
        SendTokenAsync(http, $"/api/oauth2/token?access_token=&stack={app.Stack.Stack}", form);

    public static async Task<ApiResponse> SendTokenAsync(HttpClient http, string url, (string Name, string Value)[] form, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        configure?.Invoke(request);
        using var response = await http.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    /// <summary>The SDK's five fields for a code.</summary>
    public static Task<ApiResponse> RedeemAsync(HttpClient http, OAuthApp app, string code, string? redirectUri = null, string? secret = null) =>
        TokenAsync(http, app, ("client_id", app.ClientId), ("client_secret", secret ?? app.ClientSecret), ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectUri ?? app.RedirectUri));

    public static Task<ApiResponse> RefreshAsync(HttpClient http, OAuthApp app, string refreshToken) =>
        TokenAsync(http, app, ("client_id", app.ClientId), ("client_secret", app.ClientSecret), ("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    public static (string Access, string Refresh) Tokens(ApiResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        return (response.Json.GetProperty("access_token").GetString()!, response.Json.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>Asserts an RFC 6749 §5.2 error: status, <c>error</c>, a description, and no envelope.</summary>
    public static void AssertOAuthError(ApiResponse response, HttpStatusCode status, string error)
    {
        Assert.True(response.Status == status, $"expected {(int)status}, got {(int)response.Status}: {response.Body}");
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal(error, response.Json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("error_description").GetString()));
        Assert.False(response.Json.TryGetProperty("errors", out _), "the token endpoint's errors are not enveloped");
        Assert.Equal("no-store", response.Headers["Cache-Control"]);
    }

    /// <summary>Calls the API with an access token as the SDK does (a WP-style token check on filters).</summary>
    public static async Task<HttpStatusCode> CallApiAsync(HttpClient http, OAuthApp app, string accessToken) =>
        (await http.GetAsync($"/api/filters?access_token={accessToken}&stack={app.Stack.Stack}&limit=1&page=1")).StatusCode;
}

/// <summary>
/// A browser for the flow: keeps cookies, does not follow redirects (each Location is checked by hand),
/// fills in the forms of the pages it is shown.
/// </summary>
internal sealed partial class Browser(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public static Browser Open(WebApplicationFactory<Program> server) =>
        new(server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public static string AuthorizeUrl(OAuthApp app, string? state = OAuthKit.SdkState, string? redirectUri = null, string responseType = "code") =>
        $"/api/oauth2/authenticate?response_type={responseType}&client_id={app.ClientId}&redirect_uri={Uri.EscapeDataString(redirectUri ?? app.RedirectUri)}"
        + (state is null ? string.Empty : $"&state={Uri.EscapeDataString(state)}");

    public async Task<Page> GetAsync(string url) => await Page.ReadAsync(await Http.GetAsync(url));

    /// <summary>Submits <paramref name="page"/>'s form: its hidden fields plus <paramref name="fields"/>, to the form's action.</summary>
    public async Task<Page> SubmitAsync(Page page, params (string Name, string Value)[] fields)
    {
        var form = new Dictionary<string, string>(page.Hidden);
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        return await PostAsync(page.FormAction ?? throw new InvalidOperationException("the page has no form: " + page.Html), form);
    }

    public async Task<Page> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> form) =>
        await Page.ReadAsync(await Http.PostAsync(url, new FormUrlEncodedContent(form)));

    /// <summary>The authorize link → the login form → the consent page (asserted).</summary>
    public async Task<Page> SignInAsync(OAuthApp app, string? username = null, string password = OAuthKit.Password, string? state = OAuthKit.SdkState)
    {
        var login = await GetAsync(AuthorizeUrl(app, state));
        login.AssertLoginForm();
        return await SubmitAsync(login, ("username", username ?? app.Username), ("password", password));
    }

    /// <summary>The whole browser part of the flow; returns the code the app receives, after checking the redirect.</summary>
    public async Task<string> AuthorizeAsync(OAuthApp app, string? username = null, string state = OAuthKit.SdkState)
    {
        var consent = await SignInAsync(app, username, state: state);
        Assert.True(consent.Hidden.ContainsKey("ticket"), consent.Html);
        var redirect = await SubmitAsync(consent, ("decision", "allow"));
        var query = redirect.AssertRedirectTo(app.RedirectUri);
        Assert.Equal(state, query["state"]);
        return query["code"]!;
    }
}

/// <summary>One answer of the flow: a page (with its form) or a redirect.</summary>
internal sealed partial class Page
{
    private Page(HttpResponseMessage response, string html)
    {
        Status = response.StatusCode;
        Html = html;
        Location = response.Headers.Location?.OriginalString;
        Headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        foreach (Match input in HiddenInput().Matches(html))
        {
            Hidden[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        var action = FormActionPattern().Match(html);
        FormAction = action.Success ? WebUtility.HtmlDecode(action.Groups["action"].Value) : null;
        var error = ErrorPattern().Match(html);
        Error = error.Success ? WebUtility.HtmlDecode(error.Groups["text"].Value) : null;
    }

    public HttpStatusCode Status { get; }

    public string Html { get; }

    public string? Location { get; }

    public Dictionary<string, string> Headers { get; }

    public Dictionary<string, string> Hidden { get; } = [];

    public string? FormAction { get; }

    /// <summary>The page's error message, if it shows one.</summary>
    public string? Error { get; }

    public static async Task<Page> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return new Page(response, await response.Content.ReadAsStringAsync());
        }
    }

    public void AssertLoginForm()
    {
        Assert.True(Status == HttpStatusCode.OK, $"{(int)Status}: {Html}");
        Assert.Contains("name=\"password\"", Html, StringComparison.Ordinal);
        Assert.True(Hidden.ContainsKey("form_token"), Html);
    }

    /// <summary>Asserts a 302 to <paramref name="redirectUri"/> and returns the parameters added to it.</summary>
    public Dictionary<string, string?> AssertRedirectTo(string redirectUri)
    {
        Assert.True(Status == HttpStatusCode.Found, $"{(int)Status}: {Html}");
        Assert.NotNull(Location);
        Assert.StartsWith(redirectUri, Location, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(new Uri(Location).Query);
        return query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
    }

    /// <summary>An error page of the flow: the status, no redirect.</summary>
    public void AssertErrorPage(HttpStatusCode status)
    {
        Assert.True(Status == status, $"{(int)Status}: {Html}");
        Assert.Null(Location);
        Assert.StartsWith("text/html", Headers["Content-Type"], StringComparison.Ordinal);
        Assert.NotNull(Error);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]*)\">")]
    private static partial Regex FormActionPattern();

    [GeneratedRegex("<p class=\"error\"[^>]*>(?<text>[^<]*)</p>")]
    private static partial Regex ErrorPattern();
}
