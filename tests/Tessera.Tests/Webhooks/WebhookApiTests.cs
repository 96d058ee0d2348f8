using System.Net;
using Tessera.Server.Auth;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Webhooks;

/// <summary>The <c>/api/webhooks</c> resource: subscriptions, their validation and their isolation between stacks.</summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookApiTests(WebhookServer server)
{
    private TesseraFactory Factory => server.Factory;

    [Fact]
    public async Task A_subscription_is_created_with_a_generated_secret_shown_once()
    {
        var api = await Factory.NewStackClientAsync();
        var created = await api.PostFormAsync("webhooks", "url=https%3A%2F%2Fhooks.example%2Fugc&events%5B0%5D=TILE_INGESTED&events%5B1%5D=TILE_STATUS_UPDATE");
        created.AssertOk();
        var data = created.Data;
        var id = data.GetProperty("id").GetInt32();
        Assert.Equal("https://hooks.example/ugc", data.GetProperty("url").GetString());
        Assert.Equal(["TILE_INGESTED", "TILE_STATUS_UPDATE"], data.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.True(data.GetProperty("enabled").GetBoolean());
        Assert.Equal(43, data.GetProperty("secret").GetString()!.Length);
        Assert.True(data.GetProperty("created_at").GetInt64() > 0);

        var read = (await api.GetAsync($"webhooks/{id}")).Data;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.GetProperty("secret").ValueKind);
        var listed = Assert.Single((await api.GetAsync("webhooks")).Data.EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("secret").ValueKind);
        Assert.Equal(id, listed.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task A_subscription_is_updated_and_deleted_and_its_secret_is_not_changed_by_put()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, _) = await api.SubscribeAsync("https://hooks.example/a", extra: "&secret=a-secret-chosen-by-me");

        var updated = await api.PutQueryAsync($"webhooks/{id}", "url=https%3A%2F%2Fhooks.example%2Fb&events=USER_UPDATE&enabled=0");
        updated.AssertOk();
        Assert.Equal("https://hooks.example/b", updated.Data.GetProperty("url").GetString());
        Assert.Equal(["USER_UPDATE"], updated.Data.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.False(updated.Data.GetProperty("enabled").GetBoolean());

        var secret = await api.PutQueryAsync($"webhooks/{id}", "secret=another-secret-of-mine");
        secret.AssertError(HttpStatusCode.BadRequest, 1100400, "webhook:read_only_field");
        Assert.Contains("rotate-secret", secret.Error.GetProperty("message").GetString());

        var deleted = await api.DeleteAsync($"webhooks/{id}");
        deleted.AssertOk();
        Assert.Equal(id, deleted.Data.GetProperty("id").GetInt32());
        (await api.GetAsync($"webhooks/{id}")).AssertError(HttpStatusCode.NotFound, 1100404, "webhook:not_found");
    }

    [Theory]
    [InlineData("events=TILE_INGESTED", "url")]
    [InlineData("url=ftp%3A%2F%2Fhooks.example%2F&events=TILE_INGESTED", "url")]
    [InlineData("url=not+a+url&events=TILE_INGESTED", "url")]
    [InlineData("url=https%3A%2F%2Fhooks.example%2F", "events")]
    [InlineData("url=https%3A%2F%2Fhooks.example%2F&events=", "events")]
    [InlineData("url=https%3A%2F%2Fhooks.example%2F&events=TILE_EXPLODED", "events")]
    [InlineData("url=https%3A%2F%2Fhooks.example%2F&events=TILE_INGESTED&secret=too-short", "secret")]
    [InlineData("url=https%3A%2F%2Fhooks.example%2F&events=TILE_INGESTED&secret=has+spaces+in+the+middle", "secret")]
    [InlineData("url=https%3A%2F%2Fhooks.example%2F&events=TILE_INGESTED&enabled=maybe", "enabled")]
    public async Task A_bad_subscription_is_refused_naming_the_field(string form, string field)
    {
        var api = await Factory.NewStackClientAsync();
        var response = await api.PostFormAsync("webhooks", form);
        response.AssertError(HttpStatusCode.BadRequest, 1100400);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains(field, StringComparison.Ordinal));
        Assert.Empty((await api.GetAsync("webhooks")).Data.EnumerateArray());
    }

    [Fact]
    public async Task A_url_longer_than_the_bound_is_refused()
    {
        var api = await Factory.NewStackClientAsync();
        var url = "https://hooks.example/" + new string('a', 2100);
        (await api.PostFormAsync("webhooks", $"url={Uri.EscapeDataString(url)}&events=TILE_INGESTED")).AssertError(HttpStatusCode.BadRequest, 1100400);
    }

    [Fact]
    public async Task Another_stacks_subscriptions_and_deliveries_are_not_found_by_any_path()
    {
        var owner = await Factory.NewStackClientAsync();
        var other = await Factory.NewStackClientAsync();
        var (id, _) = await owner.SubscribeAsync("https://hooks.example/private");
        var eventId = Guid.NewGuid();

        foreach (var response in new[]
        {
            await other.GetAsync($"webhooks/{id}"),
            await other.PutQueryAsync($"webhooks/{id}", "enabled=0"),
            await other.DeleteAsync($"webhooks/{id}"),
            await other.GetAsync($"webhooks/{id}/deliveries"),
            await other.PostFormAsync($"webhooks/{id}/rotate-secret", string.Empty),
            await other.PostFormAsync($"webhooks/{id}/redeliver-dead", string.Empty),
        })
        {
            response.AssertError(HttpStatusCode.NotFound, 1100404, "webhook:not_found");
        }

        (await other.GetAsync($"webhooks/{id}/deliveries/{eventId}")).AssertError(HttpStatusCode.NotFound, 1100404);
        (await other.PostFormAsync($"webhooks/{id}/deliveries/{eventId}/redeliver", string.Empty)).AssertError(HttpStatusCode.NotFound, 1100404);
        Assert.Empty((await other.GetAsync("webhooks")).Data.EnumerateArray());
        Assert.True((await owner.GetAsync($"webhooks/{id}")).Data.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_tile_of_another_stack_cannot_be_sent_as_a_manual_event()
    {
        var owner = await Factory.NewStackClientAsync();
        var other = await Factory.NewStackClientAsync();
        var tileId = (await owner.CreateTileAsync("message=Mine")).GetProperty("id").GetString();
        await other.SubscribeAsync("https://hooks.example/x", "MANUAL_TILE_WEBHOOK");
        (await other.PostFormAsync("webhooks/manual", $"tile_id={tileId}")).AssertError(HttpStatusCode.NotFound, 1020404, "tile:not_found");
        (await other.PostFormAsync("webhooks/manual", string.Empty)).AssertError(HttpStatusCode.BadRequest, 1100400);
    }

    [Theory]
    [InlineData(AclGroups.Developer, true)]
    [InlineData(AclGroups.Moderator, false)]
    public async Task Webhooks_are_for_admins_and_developers_not_moderators(AclGroups groups, bool allowed)
    {
        var stack = await Factory.CreateStackAsync();
        var api = new ApiClient(Factory.CreateClient(), stack.Stack, await Factory.IssueTokenAsync(stack, groups, TokenScope.ReadWrite));
        var response = await api.PostFormAsync("webhooks", "url=https%3A%2F%2Fhooks.example%2F&events=TILE_INGESTED");
        if (allowed)
        {
            response.AssertOk();
            // User events carry e-mail addresses: the users area is the Admin's alone.
            (await api.PostFormAsync("webhooks", "url=https%3A%2F%2Fhooks.example%2F&events=USER_UPDATE"))
                .AssertError(HttpStatusCode.BadRequest, 1100400, "webhook:forbidden_event");
        }
        else
        {
            response.AssertError(HttpStatusCode.Forbidden, 1100403, "webhook:forbidden");
            (await api.GetAsync("webhooks")).AssertError(HttpStatusCode.Forbidden, 1100403);
        }
    }

    [Fact]
    public async Task User_events_and_their_subscriptions_are_hidden_from_non_admins()
    {
        var stack = await Factory.CreateStackAsync();
        var admin = new ApiClient(Factory.CreateClient(), stack.Stack, stack.AccessToken);
        var developer = new ApiClient(Factory.CreateClient(), stack.Stack, await Factory.IssueTokenAsync(stack, AclGroups.Developer, TokenScope.ReadWrite));
        var (id, _) = await admin.SubscribeAsync("https://hooks.example/users", "USER_UPDATE,TILE_INGESTED");
        (await admin.PutQueryAsync($"users/{stack.UserId}", "email=private%40example.com")).AssertOk();
        var eventId = Assert.Single((await admin.GetAsync($"webhooks/{id}/deliveries")).Data.EnumerateArray()).GetProperty("event_id").GetString();

        // While the subscription takes user events, it is the Admins' alone.
        Assert.Empty((await developer.GetAsync("webhooks")).Data.EnumerateArray());
        (await developer.GetAsync($"webhooks/{id}")).AssertError(HttpStatusCode.NotFound, 1100404);
        (await developer.GetAsync($"webhooks/{id}/deliveries")).AssertError(HttpStatusCode.NotFound, 1100404);
        (await developer.PutQueryAsync($"webhooks/{id}", "url=https%3A%2F%2Fevil.example%2F")).AssertError(HttpStatusCode.NotFound, 1100404);

        // Once it no longer takes them, its past user events still are.
        (await admin.PutQueryAsync($"webhooks/{id}", "events=TILE_INGESTED")).AssertOk();
        (await developer.GetAsync($"webhooks/{id}")).AssertOk();
        Assert.Empty((await developer.GetAsync($"webhooks/{id}/deliveries")).Data.EnumerateArray());
        (await developer.GetAsync($"webhooks/{id}/deliveries/{eventId}")).AssertError(HttpStatusCode.NotFound, 1100404, "webhook:delivery_not_found");
        (await developer.PostFormAsync($"webhooks/{id}/deliveries/{eventId}/redeliver", string.Empty)).AssertError(HttpStatusCode.NotFound, 1100404);
        (await admin.GetAsync($"webhooks/{id}/deliveries/{eventId}")).AssertOk();
    }

    [Fact]
    public async Task The_delivery_log_refuses_an_unknown_status_filter()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, _) = await api.SubscribeAsync("https://hooks.example/x");
        (await api.GetAsync($"webhooks/{id}/deliveries", "status=lost")).AssertError(HttpStatusCode.BadRequest, 1100400);
        (await api.GetAsync($"webhooks/{id}/deliveries", "status=dead")).AssertOk();
    }
}
