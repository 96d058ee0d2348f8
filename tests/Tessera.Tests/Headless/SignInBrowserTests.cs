using System.Net;
using System.Text.Json;
using System.Web;
using Microsoft.Playwright;
using Tessera.Tests.Infrastructure;
using Tessera.Tests.OAuth;

namespace Tessera.Tests.Headless;

/// <summary>
/// What people do in a browser, in a real one: an invited user chooses a password on the
/// invitation page, then signs in to a third-party app through the OAuth pages and allows it; the
/// app's token then acts with that user's rights. Chromium enforces the pages' Content-Security-Policy,
/// so a policy that blocked the forms or the redirect to the app would fail here.
/// </summary>
public sealed class SignInBrowserTests(BrowserServer server) : IClassFixture<BrowserServer>
{
    private const string Callback = "https://app.example/callback";
    private const string Password = "correct horse battery";

    [Fact]
    public async Task An_invited_user_sets_a_password_then_signs_in_to_an_app_which_acts_with_their_rights()
    {
        var app = await OAuthKit.RegisterAsync(server.Factory, Callback, "Acme Sync");
        var admin = new ApiClient(server.Factory.CreateClient(), app.Stack.Stack, app.Stack.AccessToken);
        var invited = await admin.PostFormAsync("users/invite", "email=mod%40example.com&acl_groups=2");
        invited.AssertOk();
        var page = await server.NewPageAsync();

        await page.GotoAsync(new Uri(invited.Data.GetProperty("invitation_url").GetString()!).PathAndQuery);
        await page.FillAsync("#password", Password);
        await page.FillAsync("#password_confirm", Password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Password set");

        var code = await SignInAndAllowAsync(page, app, "mod@example.com", Password);

        var token = JsonDocument.Parse((await OAuthKit.RedeemAsync(server.Factory.CreateClient(), app, code)).Body).RootElement.GetProperty("access_token").GetString()!;
        var asModerator = new ApiClient(server.Factory.CreateClient(), app.Stack.Stack, token);
        (await asModerator.GetAsync("tags")).AssertOk();
        (await asModerator.GetAsync("terms")).AssertError(HttpStatusCode.Forbidden, 1080403, "term:forbidden");
    }

    [Fact]
    public async Task A_user_who_denies_goes_back_to_the_app_with_access_denied()
    {
        var app = await OAuthKit.RegisterAsync(server.Factory, Callback, "Nosy App");
        await OAuthKit.SetPasswordAsync(server.Factory, app.Stack.StackId, "admin", Password);
        var page = await server.NewPageAsync();
        var landed = await CaptureCallbackAsync(page);

        await page.GotoAsync(Browser.AuthorizeUrl(app));
        await SignInAsync(page, "admin", Password);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Nosy App wants to act as admin");
        await page.ClickAsync("button[value=deny]");

        var query = HttpUtility.ParseQueryString((await landed.Task.WaitAsync(TimeSpan.FromSeconds(20))).Query);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal(OAuthKit.SdkState, query["state"]);
        Assert.Null(query["code"]);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_form_again_with_an_error()
    {
        var app = await OAuthKit.RegisterAsync(server.Factory, Callback);
        await OAuthKit.SetPasswordAsync(server.Factory, app.Stack.StackId, "admin", Password);
        var page = await server.NewPageAsync();

        await page.GotoAsync(Browser.AuthorizeUrl(app));
        await SignInAsync(page, "admin", "not the password");

        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("invalid username or password", new() { IgnoreCase = true });
        await Assertions.Expect(page.Locator("#password")).ToBeVisibleAsync();
    }

    /// <summary>Signs in on the authorize page, allows the app, and returns the code the browser brought back.</summary>
    private static async Task<string> SignInAndAllowAsync(IPage page, OAuthApp app, string username, string password)
    {
        var landed = await CaptureCallbackAsync(page);
        await page.GotoAsync(Browser.AuthorizeUrl(app));
        await SignInAsync(page, username, password);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"{app.Name} wants to act as {username}");
        await page.ClickAsync("button[value=allow]");

        var query = HttpUtility.ParseQueryString((await landed.Task.WaitAsync(TimeSpan.FromSeconds(20))).Query);
        Assert.Equal(OAuthKit.SdkState, query["state"]);
        return query["code"] ?? throw new InvalidOperationException("the app got no code");
    }

    private static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
    }

    /// <summary>Answers the app's callback URL in the browser itself and reports the URL it was called with.</summary>
    private static async Task<TaskCompletionSource<Uri>> CaptureCallbackAsync(IPage page)
    {
        var landed = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(Callback + "**", async route =>
        {
            landed.TrySetResult(new Uri(route.Request.Url));
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/html", Body = "<h1>App</h1>" });
        });
        return landed;
    }
}
