using System.Net;
using System.Text.Json;
using Tessera.Server.Auth;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Users;

/// <summary>The Users API (reference §2.7): list, get, update, remove, and the last-Admin rule.</summary>
[Collection(ApiCollection.Name)]
public sealed class UserApiTests(TesseraFactory factory)
{
    [Fact]
    public async Task A_user_reads_with_profile_groups_and_timestamps()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);

        var user = (await admin.GetAsync($"users/{stack.UserId}")).Data;

        Assert.Equal(stack.UserId, user.GetProperty("id").GetInt32());
        Assert.Equal("admin", user.GetProperty("username").GetString());
        Assert.Equal([1], user.GetProperty("acl_groups").EnumerateArray().Select(g => g.GetInt32()));
        Assert.Equal("UTC", user.GetProperty("display_timezone").GetString());
        Assert.Equal("metric", user.GetProperty("distances").GetString());
        Assert.Equal("active", user.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, user.GetProperty("last_login").ValueKind);
        Assert.True(user.GetProperty("created_at").GetInt64() > 0);
        Assert.True(user.GetProperty("updated_at").GetInt64() > 0);
        Assert.False(user.TryGetProperty("password_hash", out _));
    }

    [Fact]
    public async Task Put_in_the_query_string_updates_the_profile_and_csv_groups()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var (userId, _) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Moderator);

        var updated = await admin.PutQueryAsync($"users/{userId}",
            "name=Ada&surname=Lovelace&email=ada%40example.com&description=Curator&display_timezone=Europe%2FParis&distances=imperial&acl_groups=2%2C3");

        updated.AssertOk();
        var user = (await admin.GetAsync($"users/{userId}")).Data;
        Assert.Equal("Ada", user.GetProperty("name").GetString());
        Assert.Equal("Lovelace", user.GetProperty("surname").GetString());
        Assert.Equal("ada@example.com", user.GetProperty("email").GetString());
        Assert.Equal("Curator", user.GetProperty("description").GetString());
        Assert.Equal("Europe/Paris", user.GetProperty("display_timezone").GetString());
        Assert.Equal("imperial", user.GetProperty("distances").GetString());
        Assert.Equal([2, 3], user.GetProperty("acl_groups").EnumerateArray().Select(g => g.GetInt32()));
    }

    [Fact]
    public async Task Acl_groups_are_accepted_as_a_json_array_in_a_json_body()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var (userId, _) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Moderator);

        (await admin.SendRawJsonAsync(HttpMethod.Put, $"users/{userId}", """{"acl_groups": [3, "1"]}""")).AssertOk();

        var user = (await admin.GetAsync($"users/{userId}")).Data;
        Assert.Equal([1, 3], user.GetProperty("acl_groups").EnumerateArray().Select(g => g.GetInt32()));
    }

    [Fact]
    public async Task A_changed_group_applies_to_the_users_very_next_request()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var (userId, developer) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Developer);
        (await developer.GetAsync("terms")).AssertOk();

        (await admin.PutQueryAsync($"users/{userId}", "acl_groups=2")).AssertOk();

        (await developer.GetAsync("terms")).AssertError(HttpStatusCode.Forbidden, 1080403, "term:forbidden");
    }

    [Theory]
    [InlineData("order_by=name&order_by_direction=asc", new[] { "Ann", "Bob", "Cid" })]
    [InlineData("order_by=name&order_by_direction=desc", new[] { "Cid", "Bob", "Ann" })]
    [InlineData("order_by=email", new[] { "Cid", "Bob", "Ann" })]
    [InlineData("order_by=id", new[] { "Bob", "Cid", "Ann" })]
    public async Task The_list_is_ordered_as_asked(string query, string[] expectedNames)
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        foreach (var (name, email) in new[] { ("Bob", "b@x.org"), ("Cid", "a@x.org"), ("Ann", "c@x.org") })
        {
            var (id, _) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Moderator);
            (await admin.PutQueryAsync($"users/{id}", $"name={name}&email={Uri.EscapeDataString(email)}")).AssertOk();
        }

        var listed = (await admin.GetAsync("users", query)).Data.EnumerateArray()
            .Where(u => u.GetProperty("username").GetString() != "admin")
            .Select(u => u.GetProperty("name").GetString());

        Assert.Equal(expectedNames, listed);
    }

    [Fact]
    public async Task The_list_pages_with_limit_and_page()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        await UserTestData.AddUserAsync(factory, stack, AclGroups.Moderator);
        await UserTestData.AddUserAsync(factory, stack, AclGroups.Moderator);

        var first = (await admin.GetAsync("users", "limit=2&page=1")).Data;
        var second = (await admin.GetAsync("users", "limit=2&page=2")).Data;

        Assert.Equal(2, first.GetArrayLength());
        Assert.Equal(1, second.GetArrayLength());
    }

    [Fact]
    public async Task Two_users_of_a_stack_cannot_share_an_email_address()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var (first, _) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Moderator);
        var (second, _) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Moderator);
        (await admin.PutQueryAsync($"users/{first}", "email=same%40example.com")).AssertOk();

        (await admin.PutQueryAsync($"users/{second}", "email=same%40example.com&name=Changed")).AssertError(HttpStatusCode.Conflict, 1060409, "user:email_exists");
        (await admin.PutQueryAsync($"users/{first}", "email=same%40example.com&name=Same")).AssertOk();
        Assert.Equal(string.Empty, (await admin.GetAsync($"users/{second}")).Data.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("acl_groups=4", "acl_groups")]
    [InlineData("acl_groups=", "acl_groups")]
    [InlineData("acl_groups=admin", "acl_groups")]
    [InlineData("email=not-an-address", "email")]
    [InlineData("display_timezone=Mars%2FOlympus", "display_timezone")]
    [InlineData("distances=furlongs", "distances")]
    public async Task Bad_fields_are_400_naming_the_field_and_change_nothing(string query, string field)
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var (userId, _) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Moderator);
        var before = (await admin.GetAsync($"users/{userId}")).Body;

        var response = await admin.PutQueryAsync($"users/{userId}", $"name=Changed&{query}");

        response.AssertError(HttpStatusCode.BadRequest, 1060400);
        Assert.StartsWith(field + ":", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await admin.GetAsync($"users/{userId}")).Body);
    }

    [Theory]
    [InlineData("order_by=password")]
    [InlineData("order_by_direction=sideways")]
    [InlineData("limit=101")]
    public async Task Bad_list_parameters_are_400(string query)
    {
        var stack = await factory.CreateStackAsync();

        (await UserTestData.AdminClient(factory, stack).GetAsync("users", query)).AssertError(HttpStatusCode.BadRequest, 1060400);
    }

    [Fact]
    public async Task The_last_admin_cannot_be_demoted_or_removed()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);

        (await admin.PutQueryAsync($"users/{stack.UserId}", "acl_groups=3")).AssertError(HttpStatusCode.Conflict, 1060409, "user:last_admin");
        (await admin.DeleteAsync($"users/{stack.UserId}")).AssertError(HttpStatusCode.Conflict, 1060409, "user:last_admin");

        var user = (await admin.GetAsync($"users/{stack.UserId}")).Data;
        Assert.Equal([1], user.GetProperty("acl_groups").EnumerateArray().Select(g => g.GetInt32()));
    }

    [Fact]
    public async Task With_a_second_admin_the_first_may_step_down()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var (secondId, second) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Admin);

        (await admin.PutQueryAsync($"users/{stack.UserId}", "acl_groups=3")).AssertOk();

        // Now the second is the last Admin.
        (await second.DeleteAsync($"users/{secondId}")).AssertError(HttpStatusCode.Conflict, 1060409, "user:last_admin");
    }

    [Fact]
    public async Task Two_admins_demoting_each_other_at_once_leave_one_admin()
    {
        for (var round = 0; round < 5; round++)
        {
            var stack = await factory.CreateStackAsync();
            var first = UserTestData.AdminClient(factory, stack);
            var (secondId, second) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Admin);

            var results = await Task.WhenAll(
                first.PutQueryAsync($"users/{secondId}", "acl_groups=3"),
                second.PutQueryAsync($"users/{stack.UserId}", "acl_groups=3"));

            // The loser is refused: by the last-Admin rule, or already without the Admin group.
            Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            Assert.Single(results, r => r.Status is HttpStatusCode.Conflict or HttpStatusCode.Forbidden);
            Assert.Equal(1, await UserTestData.CountAdminsAsync(factory, stack.StackId));
        }
    }

    [Fact]
    public async Task Removing_a_user_revokes_their_tokens_and_hides_them()
    {
        var stack = await factory.CreateStackAsync();
        var admin = UserTestData.AdminClient(factory, stack);
        var (userId, user) = await UserTestData.AddUserAsync(factory, stack, AclGroups.Developer);
        (await user.GetAsync("tags")).AssertOk();

        var removed = await admin.DeleteAsync($"users/{userId}");

        removed.AssertOk();
        Assert.Equal(userId, removed.Data.GetProperty("id").GetInt32());
        (await user.GetAsync("tags")).AssertError(HttpStatusCode.Unauthorized, 1010401, "request:invalid_token");
        (await admin.GetAsync($"users/{userId}")).AssertError(HttpStatusCode.NotFound, 1060404, "user:not_found");
        (await admin.DeleteAsync($"users/{userId}")).AssertError(HttpStatusCode.NotFound, 1060404, "user:not_found");
        Assert.DoesNotContain((await admin.GetAsync("users")).Data.EnumerateArray(), u => u.GetProperty("id").GetInt32() == userId);
    }

    [Fact]
    public async Task Another_stacks_users_are_invisible_by_every_path()
    {
        var mine = await factory.CreateStackAsync();
        var theirs = await factory.CreateStackAsync();
        var (theirUserId, _) = await UserTestData.AddUserAsync(factory, theirs, AclGroups.Moderator);
        var admin = UserTestData.AdminClient(factory, mine);

        (await admin.GetAsync($"users/{theirUserId}")).AssertError(HttpStatusCode.NotFound, 1060404);
        (await admin.PutQueryAsync($"users/{theirUserId}", "name=Hijacked")).AssertError(HttpStatusCode.NotFound, 1060404);
        (await admin.DeleteAsync($"users/{theirUserId}")).AssertError(HttpStatusCode.NotFound, 1060404);
        Assert.All((await admin.GetAsync("users", "limit=100")).Data.EnumerateArray(), u => Assert.NotEqual(theirUserId, u.GetProperty("id").GetInt32()));

        var theirAdmin = UserTestData.AdminClient(factory, theirs);
        Assert.Equal(string.Empty, (await theirAdmin.GetAsync($"users/{theirUserId}")).Data.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(AclGroups.Moderator)]
    [InlineData(AclGroups.Developer)]
    public async Task Only_admins_reach_the_users_api(AclGroups groups)
    {
        var stack = await factory.CreateStackAsync();
        var (_, user) = await UserTestData.AddUserAsync(factory, stack, groups);

        (await user.GetAsync("users")).AssertError(HttpStatusCode.Forbidden, 1060403, "user:forbidden");
        (await user.PutQueryAsync($"users/{stack.UserId}", "acl_groups=3")).AssertError(HttpStatusCode.Forbidden, 1060403);
        (await user.PostFormAsync("users/invite", "email=x%40example.com")).AssertError(HttpStatusCode.Forbidden, 1060403);
    }
}
