using System.Net;
using Tessera.Server.Auth;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.ModerationViews;

/// <summary>A private view exists for its owner only; a public one for every user of the stack with access to the area.</summary>
[Collection(ApiCollection.Name)]
public sealed class ModerationViewPrivacyTests(TesseraFactory factory)
{
    [Theory]
    [InlineData(AclGroups.Admin)]
    [InlineData(AclGroups.Moderator)]
    public async Task Private_views_are_hidden_from_other_users_of_the_stack(AclGroups othersGroup)
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var owner = clients.Owner;
        var other = await clients.OtherUserAsync(othersGroup);
        var shared = await owner.CreateViewIdAsync("view_name=Shared&access_type=public");
        var secret = await owner.CreateViewAsync("view_name=Secret&access_type=private&columns_pin_col=1");
        var secretId = secret.GetProperty("id").GetInt32();
        var othersOwn = await other.CreateViewIdAsync("view_name=Others+own&access_type=private");

        Assert.Equal([shared, othersOwn], await other.ListViewIdsAsync());
        Assert.Equal([shared, secretId], await owner.ListViewIdsAsync());

        (await other.GetAsync($"moderationviews/{secretId}")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
        (await other.PutQueryAsync($"moderationviews/{secretId}", "view_name=Peeked&access_type=public")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
        (await other.DeleteAsync($"moderationviews/{secretId}")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
        (await owner.GetAsync($"moderationviews/{othersOwn}")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");

        var still = await owner.GetAsync($"moderationviews/{secretId}");
        still.AssertOk();
        Assert.Equal(secret.GetRawText(), still.Data.GetRawText());
    }

    [Fact]
    public async Task Public_views_can_be_read_changed_and_deleted_by_other_users()
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var other = await clients.OtherUserAsync(AclGroups.Moderator);
        var id = await clients.Owner.CreateViewIdAsync("view_name=Team&columns_select_col=1");

        (await other.GetAsync($"moderationviews/{id}")).AssertOk();
        var put = await other.PutQueryAsync($"moderationviews/{id}", "columns_user_col=1&view_name=Team+view");
        put.AssertOk();
        Assert.Equal(["select_col", "user_col"], put.Data.TrueKeys("column"));
        Assert.Equal(clients.Stack.UserId, put.Data.GetProperty("owner_id").GetInt32());
        Assert.Equal("Team view", (await clients.Owner.GetAsync($"moderationviews/{id}")).Data.GetProperty("view_name").GetString());

        (await other.DeleteAsync($"moderationviews/{id}")).AssertOk();
        (await clients.Owner.GetAsync($"moderationviews/{id}")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
    }

    [Fact]
    public async Task Only_the_owner_may_change_a_views_access_type()
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var other = await clients.OtherUserAsync();
        var id = await clients.Owner.CreateViewIdAsync("view_name=Team");

        (await other.PutQueryAsync($"moderationviews/{id}", "access_type=private&view_name=Hijacked"))
            .AssertError(HttpStatusCode.Forbidden, 1050403, "moderation_view:owner_only");
        var unchanged = (await other.GetAsync($"moderationviews/{id}")).Data;
        Assert.Equal("public", unchanged.GetProperty("access_type").GetString());
        Assert.Equal("Team", unchanged.GetProperty("view_name").GetString());

        // Sending the current value is no change.
        (await other.PutQueryAsync($"moderationviews/{id}", "access_type=public&sort_by=oldest")).AssertOk();

        (await clients.Owner.PutQueryAsync($"moderationviews/{id}", "access_type=private")).AssertOk();
        (await other.GetAsync($"moderationviews/{id}")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
        Assert.Empty(await other.ListViewIdsAsync());

        (await clients.Owner.PutQueryAsync($"moderationviews/{id}", "access_type=public")).AssertOk();
        Assert.Equal([id], await other.ListViewIdsAsync());
    }
}
