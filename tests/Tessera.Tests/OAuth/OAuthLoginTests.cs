using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.OAuth;

/// <summary>The login and consent forms: lockout, no user enumeration, anti-forgery.</summary>
public sealed class OAuthLoginTests(TesseraFactory factory) : IClassFixture<TesseraFactory>
{
    private const string Refusal = "Invalid username or password.";

    [Fact]
    public async Task Five_wrong_passwords_lock_the_user_for_fifteen_minutes_even_against_the_right_password()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = OAuthKit.OnClock(factory, clock);
        var app = await OAuthKit.RegisterAsync(server);
        var browser = Browser.Open(server);

        for (var i = 0; i < 5; i++)
        {
            var failed = await browser.SignInAsync(app, password: $"wrong password {i}");
            failed.AssertLoginForm();
            Assert.Equal(Refusal, failed.Error);
        }

        var locked = await browser.SignInAsync(app);
        locked.AssertLoginForm();
        Assert.Equal(Refusal, locked.Error);

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(Refusal, (await browser.SignInAsync(app)).Error);

        clock.Advance(TimeSpan.FromMinutes(1));
        var consent = await browser.SignInAsync(app);
        Assert.Null(consent.Error);
        Assert.True(consent.Hidden.ContainsKey("ticket"), consent.Html);
    }

    [Fact]
    public async Task Parallel_wrong_passwords_get_no_more_guesses_than_the_lockout_allows()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = OAuthKit.OnClock(factory, clock);
        var app = await OAuthKit.RegisterAsync(server);
        var browser = Browser.Open(server);
        var login = await browser.GetAsync(Browser.AuthorizeUrl(app));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => browser.SubmitAsync(login, ("username", app.Username), ("password", $"wrong password {i}"))));

        Assert.All(answers, a => Assert.Equal(Refusal, a.Error));
        Assert.Equal(Refusal, (await browser.SignInAsync(app)).Error);

        // Each checked guess is counted before its password is verified: exactly five were checked, the rest refused unchecked.
        var admin = await OAuthKit.QueryAsync(server, db => db.Users.AsNoTracking().SingleAsync(u => u.Id == app.Stack.UserId));
        Assert.Equal(5, admin.FailedLogins);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds() + (15 * 60), admin.LockedUntil);

        // When the lock runs out the count starts again: one more wrong guess does not lock at once.
        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(Refusal, (await browser.SignInAsync(app, password: "wrong again")).Error);
        Assert.True((await browser.SignInAsync(app)).Hidden.ContainsKey("ticket"));
    }

    [Fact]
    public async Task Empty_and_over_long_passwords_are_refused_without_counting_a_guess()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var browser = Browser.Open(factory);

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(Refusal, (await browser.SignInAsync(app, password: new string('x', 257))).Error);
        }

        var admin = await OAuthKit.QueryAsync(factory, db => db.Users.AsNoTracking().SingleAsync(u => u.Id == app.Stack.UserId));
        Assert.Equal(0, admin.FailedLogins);
        Assert.True((await browser.SignInAsync(app)).Hidden.ContainsKey("ticket"));
    }

    [Fact]
    public async Task Success_resets_the_failure_count_and_records_the_login()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = OAuthKit.OnClock(factory, clock);
        var app = await OAuthKit.RegisterAsync(server);
        var browser = Browser.Open(server);
        for (var i = 0; i < 4; i++)
        {
            await browser.SignInAsync(app, password: "wrong password");
        }

        Assert.True((await browser.SignInAsync(app)).Hidden.ContainsKey("ticket"));
        var admin = await OAuthKit.QueryAsync(server, db => db.Users.AsNoTracking().SingleAsync(u => u.Id == app.Stack.UserId));
        Assert.Equal(0, admin.FailedLogins);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds(), admin.LastLoginAt);

        // Four more failures do not lock: the count started again.
        for (var i = 0; i < 4; i++)
        {
            await browser.SignInAsync(app, password: "wrong password");
        }

        Assert.True((await browser.SignInAsync(app)).Hidden.ContainsKey("ticket"));
    }

    [Fact]
    public async Task Unknown_removed_pending_and_wrong_password_users_all_get_the_same_answer()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        await OAuthKit.AddUserAsync(factory, app.Stack.StackId, "removed", OAuthKit.Password, u => u.RemovedAt = 5);
        await OAuthKit.AddUserAsync(factory, app.Stack.StackId, "pending", null, u => u.InvitationHash = new string('a', 64));
        var other = await OAuthKit.RegisterAsync(factory, "https://other.example/cb");
        await OAuthKit.AddUserAsync(factory, other.Stack.StackId, "outsider", OAuthKit.Password);
        var browser = Browser.Open(factory);

        var answers = new[]
        {
            await browser.SignInAsync(app, "nobody"),
            await browser.SignInAsync(app, "removed"),
            await browser.SignInAsync(app, "pending", password: string.Empty.PadRight(12, 'p')),
            await browser.SignInAsync(app, "admin", password: "wrong password"),
            await browser.SignInAsync(app, "outsider"), // the right password, but a user of another stack
        };

        Assert.All(answers, a =>
        {
            a.AssertLoginForm();
            Assert.Equal(Refusal, a.Error);
        });
        var outsider = await OAuthKit.QueryAsync(factory, db => db.Users.AsNoTracking().SingleAsync(u => u.StackId == other.Stack.StackId && u.Username == "outsider"));
        Assert.Equal(0, outsider.FailedLogins);
    }

    [Fact]
    public async Task Login_form_without_its_anti_forgery_value_or_from_another_browser_is_refused()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var browser = Browser.Open(factory);
        var login = await browser.GetAsync(Browser.AuthorizeUrl(app));
        (string, string)[] credentials = [("username", app.Username), ("password", OAuthKit.Password)];

        var withoutToken = new Dictionary<string, string>(login.Hidden) { ["username"] = app.Username, ["password"] = OAuthKit.Password };
        withoutToken.Remove("form_token");
        (await browser.PostAsync("/api/oauth2/authenticate", withoutToken)).AssertErrorPage(HttpStatusCode.BadRequest);

        (await browser.SubmitAsync(login, [.. credentials, ("form_token", "forged")])).AssertErrorPage(HttpStatusCode.BadRequest);

        // A forged cross-site post carries the page's values but not the browser's cookie.
        (await Browser.Open(factory).SubmitAsync(login, credentials)).AssertErrorPage(HttpStatusCode.BadRequest);

        // Another browser's own form value does not fit this browser's cookie either.
        var mine = await browser.GetAsync(Browser.AuthorizeUrl(app));
        var theirs = await Browser.Open(factory).GetAsync(Browser.AuthorizeUrl(app));
        (await browser.SubmitAsync(mine, [.. credentials, ("form_token", theirs.Hidden["form_token"])])).AssertErrorPage(HttpStatusCode.BadRequest);

        Assert.True((await browser.SubmitAsync(mine, credentials)).Hidden.ContainsKey("ticket"));
    }

    [Fact]
    public async Task Consent_without_a_valid_ticket_is_refused_and_forms_expire_after_five_minutes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = OAuthKit.OnClock(factory, clock);
        var app = await OAuthKit.RegisterAsync(server);
        var browser = Browser.Open(server);

        var consent = await browser.SignInAsync(app);
        (await browser.SubmitAsync(consent, ("ticket", consent.Hidden["ticket"][..^4] + "AAAA"), ("decision", "allow"))).AssertErrorPage(HttpStatusCode.BadRequest);

        clock.Advance(TimeSpan.FromMinutes(5));
        (await browser.SubmitAsync(consent, ("decision", "allow"))).AssertErrorPage(HttpStatusCode.BadRequest);

        var login = await browser.GetAsync(Browser.AuthorizeUrl(app));
        clock.Advance(TimeSpan.FromMinutes(5));
        (await browser.SubmitAsync(login, ("username", app.Username), ("password", OAuthKit.Password))).AssertErrorPage(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Consent_of_a_user_removed_meanwhile_gives_no_code()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var browser = Browser.Open(factory);
        var user = await OAuthKit.AddUserAsync(factory, app.Stack.StackId, "leaver", OAuthKit.Password);
        var consent = await browser.SignInAsync(app, "leaver");
        await OAuthKit.QueryAsync(factory, db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.RemovedAt, 9L)));

        var query = (await browser.SubmitAsync(consent, ("decision", "allow"))).AssertRedirectTo(app.RedirectUri);

        Assert.Equal("access_denied", query["error"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Consent_of_a_user_who_became_pending_meanwhile_gives_no_code()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var browser = Browser.Open(factory);
        var user = await OAuthKit.AddUserAsync(factory, app.Stack.StackId, "rejoiner", OAuthKit.Password);
        var consent = await browser.SignInAsync(app, "rejoiner");
        Assert.True(consent.Hidden.ContainsKey("ticket"), consent.Html);

        // Removed and invited again (as UserInvitations does it): pending until the new invitation is accepted.
        var invitation = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await OAuthKit.QueryAsync(factory, db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.InvitationHash, invitation)));

        var query = (await browser.SubmitAsync(consent, ("decision", "allow"))).AssertRedirectTo(app.RedirectUri);

        Assert.Equal("access_denied", query["error"]);
        Assert.False(query.ContainsKey("code"));
    }
}
