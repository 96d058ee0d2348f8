using System.Net;
using System.Text.RegularExpressions;
using Tessera.Server.Auth;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Users;

/// <summary>Invitations: a pending user, a one-time link, a password set through the link's page.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class InvitationTests(TesseraFactory factory)
{
    [Fact]
    public async Task An_invitation_makes_a_pending_user_with_a_one_time_link()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);

        var invited = await admin.PostFormAsync("users/invite", "email=Grace%40Example.com&acl_groups%5B0%5D=2&acl_groups%5B1%5D=3&name=Grace");

        invited.AssertOk();
        var user = invited.Data.GetProperty("user");
        Assert.Equal("grace@example.com", user.GetProperty("email").GetString());
        Assert.Equal("grace@example.com", user.GetProperty("username").GetString());
        Assert.Equal("pending", user.GetProperty("status").GetString());
        Assert.Equal([2, 3], user.GetProperty("acl_groups").EnumerateArray().Select(g => g.GetInt32()));
        var link = invited.Data.GetProperty("invitation_url").GetString()!;
        Assert.Matches("^http://localhost/invite/[0-9a-f]{64}$", link);
        Assert.Contains((await admin.GetAsync("users")).Data.EnumerateArray(), u => u.GetProperty("status").GetString() == "pending");
    }

    [Fact]
    public async Task Following_the_link_sets_the_password_once()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var invited = await admin.PostFormAsync("users/invite", "email=linus%40example.com");
        var path = new Uri(invited.Data.GetProperty("invitation_url").GetString()!).AbsolutePath;
        var userId = invited.Data.GetProperty("user").GetProperty("id").GetInt32();
        var browser = factory.CreateClient();

        var form = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal("text/html", form.Content.Headers.ContentType?.MediaType);
        Assert.Contains("linus@example.com", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", form.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var mismatch = await browser.PostAsync(path, Form("correct horse battery", "correct horse battery staple"));
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        var tooShort = await browser.PostAsync(path, Form("short", "short"));
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);

        var accepted = await browser.PostAsync(path, Form("correct horse battery", "correct horse battery"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("active", (await admin.GetAsync($"users/{userId}")).Data.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync(path, Form("another password!", "another password!"))).StatusCode);
    }

    [Fact]
    public async Task An_expired_link_is_refused()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var invited = await admin.PostFormAsync("users/invite", "email=late%40example.com");
        var path = new Uri(invited.Data.GetProperty("invitation_url").GetString()!).AbsolutePath;
        await UserTestData.UpdateUserAsync(factory, invited.Data.GetProperty("user").GetProperty("id").GetInt32(), u => u.InvitationExpiresAt = 1);

        var response = await factory.CreateClient().PostAsync(path, Form("correct horse battery", "correct horse battery"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Inviting_again_replaces_the_link()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var first = await admin.PostFormAsync("users/invite", "email=twice%40example.com");
        var second = await admin.PostFormAsync("users/invite", "email=twice%40example.com&acl_groups=3");
        second.AssertOk();
        var browser = factory.CreateClient();

        Assert.Equal(first.Data.GetProperty("user").GetProperty("id").GetInt32(), second.Data.GetProperty("user").GetProperty("id").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(new Uri(first.Data.GetProperty("invitation_url").GetString()!).AbsolutePath)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri(second.Data.GetProperty("invitation_url").GetString()!).AbsolutePath)).StatusCode);
    }

    [Fact]
    public async Task An_active_users_address_cannot_be_invited()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var (userId, _) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Moderator);
        (await admin.PutQueryAsync($"users/{userId}", "email=taken%40example.com")).AssertOk();

        (await admin.PostFormAsync("users/invite", "email=taken%40example.com")).AssertError(HttpStatusCode.Conflict, 1060409, "user:exists");
    }

    [Fact]
    public async Task A_removed_user_can_be_invited_back_without_their_old_tokens()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var (userId, user) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Developer);
        await UserTestData.UpdateUserAsync(factory, userId, u => (u.Username, u.Email) = ("back@example.com", "back@example.com"));
        (await admin.DeleteAsync($"users/{userId}")).AssertOk();

        var invited = await admin.PostFormAsync("users/invite", "email=back%40example.com");

        invited.AssertOk();
        Assert.Equal(userId, invited.Data.GetProperty("user").GetProperty("id").GetInt32());
        Assert.Equal("pending", invited.Data.GetProperty("user").GetProperty("status").GetString());
        (await user.GetAsync("tags")).AssertError(HttpStatusCode.Unauthorized, 1010401);
    }

    [Fact]
    public async Task Inviting_an_address_another_user_has_as_email_does_not_hand_over_their_account()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var first = await admin.PostFormAsync("users/invite", "email=bea%40example.com");
        var beaId = first.Data.GetProperty("user").GetProperty("id").GetInt32();
        (await admin.PutQueryAsync($"users/{beaId}", "email=shared%40example.com")).AssertOk();

        // The address is Bea's while she is a user; once she is removed, inviting it makes a new user.
        (await admin.PostFormAsync("users/invite", "email=shared%40example.com")).AssertError(HttpStatusCode.Conflict, 1060409, "user:exists");
        (await admin.DeleteAsync($"users/{beaId}")).AssertOk();
        var second = await admin.PostFormAsync("users/invite", "email=shared%40example.com");

        second.AssertOk();
        Assert.NotEqual(beaId, second.Data.GetProperty("user").GetProperty("id").GetInt32());
        Assert.Equal("shared@example.com", second.Data.GetProperty("user").GetProperty("username").GetString());
    }

    [Fact]
    public async Task A_malformed_form_on_the_invitation_page_is_400_not_500()
    {
        var stack = await factory.CreateStackAsync();
        var invited = await UserTestData.AdminClient(factory, stack).PostFormAsync("users/invite", "email=form%40example.com");
        var path = new Uri(invited.Data.GetProperty("invitation_url").GetString()!).AbsolutePath;
        using var content = new StringContent("--broken\r\nno headers", System.Text.Encoding.ASCII, "multipart/form-data");
        content.Headers.ContentType!.Parameters.Add(new("boundary", "broken"));

        var response = await factory.CreateClient().PostAsync(path, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("", "email")]
    [InlineData("email=nobody", "email")]
    [InlineData("email=a%40example.com&acl_groups=9", "acl_groups")]
    public async Task Bad_invitations_are_400(string form, string field)
    {
        var stack = await factory.CreateStackAsync();

        var response = await UserTestData.AdminClient(factory, stack).PostFormAsync("users/invite", form);

        response.AssertError(HttpStatusCode.BadRequest, 1060400);
        Assert.StartsWith(field + ":", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_link_is_404_and_leaks_nothing()
    {
        var response = await factory.CreateClient().GetAsync("/invite/" + new string('a', 64));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotMatch(Email(), await response.Content.ReadAsStringAsync());
    }

    private static FormUrlEncodedContent Form(string password, string confirm) =>
        new([new("password", password), new("password_confirm", confirm)]);

    [GeneratedRegex("@[a-z]+\\.")]
    private static partial Regex Email();
}
