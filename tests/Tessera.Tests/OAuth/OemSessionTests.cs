using System.Net;
using Microsoft.Extensions.Time.Testing;
using Tessera.Server.Auth;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.OAuth;

/// <summary><c>POST /api/oemsession?grant_type=exchange_token</c> and its single-use consumer <c>/oem/session</c>.</summary>
public sealed class OemSessionTests(TesseraFactory factory) : IClassFixture<TesseraFactory>
{
    [Fact]
    public async Task App_token_exchanges_for_a_session_token_in_the_envelope_that_opens_the_admin_once()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var (access, _) = OAuthKit.Tokens(await OAuthKit.RedeemAsync(factory.CreateClient(), app, await Browser.Open(factory).AuthorizeAsync(app)));
        var api = new ApiClient(factory.CreateClient(), app.Stack.Stack, access);

        // oem.php: curl POST with everything in the query and no body.
        var response = await api.SendAsync(HttpMethod.Post, $"/api/oemsession?grant_type=exchange_token&access_token={access}&stack={app.Stack.Stack}&client_id={app.ClientId}");

        response.AssertOk();
        var session = response.Data.GetString()!;
        Assert.Equal(64, session.Length);

        var first = await Browser.Open(factory).GetAsync($"/oem/session?session_id={session}");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Contains($"Signed in as admin on stack {app.Stack.Stack}", first.Html, StringComparison.Ordinal);
        Assert.Equal("DENY", first.Headers["X-Frame-Options"]);

        var second = await Browser.Open(factory).GetAsync($"/oem/session?session_id={session}");
        Assert.Equal(HttpStatusCode.Unauthorized, second.Status);
    }

    [Fact]
    public async Task Session_token_is_refused_after_sixty_seconds()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = OAuthKit.OnClock(factory, clock);
        var api = await TesseraFactory.NewStackClientAsync(server);
        var fresh = (await api.PostFormAsync("oemsession", string.Empty, "grant_type=exchange_token")).Data.GetString()!;
        var stale = (await api.PostFormAsync("oemsession", string.Empty, "grant_type=exchange_token")).Data.GetString()!;

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HttpStatusCode.OK, (await Browser.Open(server).GetAsync($"/oem/session?session_id={fresh}")).Status);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser.Open(server).GetAsync($"/oem/session?session_id={stale}")).Status);
    }

    [Fact]
    public async Task Unknown_session_is_401()
    {
        var page = await Browser.Open(factory).GetAsync("/oem/session?session_id=" + new string('0', 64));
        Assert.Equal(HttpStatusCode.Unauthorized, page.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser.Open(factory).GetAsync("/oem/session")).Status);
    }

    [Fact]
    public async Task Read_only_token_is_refused()
    {
        var stack = await factory.CreateStackAsync();
        var token = await factory.IssueTokenAsync(stack, AclGroups.Moderator, TokenScope.Read);
        var api = new ApiClient(factory.CreateClient(), stack.Stack, token);

        (await api.PostFormAsync("oemsession", string.Empty, "grant_type=exchange_token")).AssertError(HttpStatusCode.Forbidden, 1010403, "request:read_only_token");
    }

    [Fact]
    public async Task Every_group_may_open_a_session_for_itself()
    {
        var stack = await factory.CreateStackAsync();
        foreach (var group in new[] { AclGroups.Moderator, AclGroups.Developer })
        {
            var api = new ApiClient(factory.CreateClient(), stack.Stack, await factory.IssueTokenAsync(stack, group, TokenScope.ReadWrite));
            (await api.PostFormAsync("oemsession", string.Empty, "grant_type=exchange_token")).AssertOk();
        }
    }

    [Fact]
    public async Task Wrong_or_missing_grant_type_is_400()
    {
        var api = await factory.NewStackClientAsync();

        (await api.PostFormAsync("oemsession", string.Empty, "grant_type=authorization_code")).AssertError(HttpStatusCode.BadRequest, 1010400, "request:unsupported_grant_type");
        (await api.PostFormAsync("oemsession", string.Empty)).AssertError(HttpStatusCode.BadRequest, 1010400, "request:unsupported_grant_type");
    }

    [Fact]
    public async Task Client_id_must_be_an_app_of_the_callers_stack()
    {
        var app = await OAuthKit.RegisterAsync(factory);
        var api = await factory.NewStackClientAsync();

        (await api.PostFormAsync("oemsession", string.Empty, $"grant_type=exchange_token&client_id={app.ClientId}")).AssertError(HttpStatusCode.BadRequest, 1010400, "request:invalid_client");
    }

    [Fact]
    public async Task Session_requires_a_token()
    {
        var stack = await factory.CreateStackAsync();
        using var response = await factory.CreateClient().PostAsync($"/api/oemsession?grant_type=exchange_token&access_token=&stack={stack.Stack}", null);
        (await ApiResponse.ReadAsync(response)).AssertError(HttpStatusCode.Unauthorized, 1010401, "request:missing_token");
    }
}
