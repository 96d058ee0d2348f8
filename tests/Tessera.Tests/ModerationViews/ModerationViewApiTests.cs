using System.Net;
using System.Text;
using System.Text.Json;
using Tessera.Server.Auth;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.ModerationViews;

/// <summary>Moderation views (reference §2.6): written flat, read nested, owned by the token's user.</summary>
[Collection(ApiCollection.Name)]
public sealed class ModerationViewApiTests(TesseraFactory factory)
{
    private static readonly string[] AllColumns =
    [
        "select_col", "pin_col", "scheduled_col", "platform_col", "user_col", "name_col", "avatar_col", "content_col",
        "preview_col", "created_col", "ingested_col", "status_col", "disabled_reason_col", "last_moderated_col",
        "moderator_col", "terms_col", "tags_col", "type_col", "star_col", "abuse_col", "no_purge_col", "num_votes",
        "last_comment_queued_at", "greatest_score", "actions_col",
    ];

    [Fact]
    public async Task A_form_posted_view_reads_back_in_the_nested_shape()
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var api = clients.Owner;
        var tag = await api.CreateTagAsync("Shoes");
        var term = await api.CreateTermAsync("term=shoes&type=hashtag&network=twitter");

        // As the PHP SDK's Guzzle client posts: bracket arrays with sparse indices, false as "key=", spaces as "+".
        var created = await api.CreateViewAsync(
            "view_name=My+queue&type=user&access_type=private&sort_by=votes" +
            "&columns_select_col=1&columns_pin_col=&columns_num_votes=true&columns_actions_col=0" +
            "&filter_value_content_search=red+shoes&filter_value_origin%5B0%5D=twitter&filter_value_origin%5B2%5D=instagram" +
            $"&filter_value_media=image,video&filter_value_abuse=1&filter_value_filter_by_claimed=claimed_only&filter_value_filter_by_geolocation=" +
            $"&filter_value_tags%5B0%5D={tag}&filter_value_terms={term}" +
            "&other_all_content_length=50&other_live_updates=1&other_display=grid" +
            "&date_range_from=2024-03-01T10:00:00%2B02:00&date_range_to=2024-03-31");

        Assert.True(created.GetProperty("id").GetInt32() > 0);
        Assert.Equal("My queue", created.GetProperty("view_name").GetString());
        Assert.Equal("user", created.GetProperty("type").GetString());
        Assert.Equal("private", created.GetProperty("access_type").GetString());
        Assert.Equal(clients.Stack.StackId, created.GetProperty("stack_id").GetInt32());
        Assert.Equal(clients.Stack.UserId, created.GetProperty("owner_id").GetInt32());
        Assert.Equal("votes", created.GetProperty("sort_by").GetString());
        Assert.Equal(AllColumns, created.GetProperty("column").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["select_col", "num_votes"], created.TrueKeys("column"));

        var filter = created.GetProperty("filter");
        Assert.Equal("red shoes", filter.GetProperty("content_search").GetString());
        Assert.Equal(["twitter", "instagram"], filter.GetProperty("origin").Strings());
        Assert.Equal(["image", "video"], filter.GetProperty("media").Strings());
        Assert.True(filter.GetProperty("abuse").GetBoolean());
        Assert.Equal("claimed_only", filter.GetProperty("filter_by_claimed").GetString());
        Assert.False(filter.GetProperty("filter_by_geolocation").GetBoolean());
        Assert.Equal([tag], filter.GetProperty("tags").Ints());
        Assert.Equal([term], filter.GetProperty("terms").Ints());

        var other = created.GetProperty("other");
        Assert.Equal(50, other.GetProperty("all_content_length").GetInt32());
        Assert.True(other.GetProperty("live_updates").GetBoolean());
        Assert.Equal("grid", other.GetProperty("display").GetString());

        Assert.Equal("2024-03-01T08:00:00Z", created.GetProperty("date").GetProperty("from").GetString());
        Assert.Equal("2024-03-31T00:00:00Z", created.GetProperty("date").GetProperty("to").GetString());
        Assert.True(created.GetProperty("created_at").GetInt64() > 1_600_000_000);
        Assert.Equal(created.GetProperty("created_at").GetInt64(), created.GetProperty("updated_at").GetInt64());

        // No flat key is ever returned.
        Assert.DoesNotContain(created.EnumerateObject(), p => p.Name.StartsWith("columns_", StringComparison.Ordinal) || p.Name.StartsWith("filter_value_", StringComparison.Ordinal));

        var read = await api.GetAsync($"moderationviews/{created.GetProperty("id").GetInt32()}");
        read.AssertOk();
        Assert.Equal(created.GetRawText(), read.Data.GetRawText());
    }

    [Fact]
    public async Task A_view_with_only_a_name_has_every_key_with_its_default()
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var view = await clients.Owner.CreateViewAsync("view_name=Plain");

        Assert.Equal("user", view.GetProperty("type").GetString());
        Assert.Equal("public", view.GetProperty("access_type").GetString());
        Assert.Equal("newest", view.GetProperty("sort_by").GetString());
        Assert.Equal(AllColumns.Length, view.GetProperty("column").EnumerateObject().Count());
        Assert.Empty(view.TrueKeys("column"));
        Assert.Equal(
            """{"content_search":"","origin":[],"media":[],"abuse":false,"filter_by_claimed":"no","filter_by_geolocation":false,"tags":[],"terms":[]}""",
            view.GetProperty("filter").GetRawText());
        Assert.Equal("""{"all_content_length":25,"live_updates":false,"display":"table"}""", view.GetProperty("other").GetRawText());
        Assert.Equal("""{"from":null,"to":null}""", view.GetProperty("date").GetRawText());
    }

    [Fact]
    public async Task Put_in_the_query_string_changes_only_the_keys_sent()
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var api = clients.Owner;
        var tag = await api.CreateTagAsync("Keep");
        var created = await api.CreateViewAsync(
            $"view_name=Before&columns_select_col=1&columns_user_col=1&filter_value_media%5B0%5D=image&filter_value_tags%5B0%5D={tag}" +
            "&filter_value_content_search=hello&other_all_content_length=40&other_display=grid&date_range_from=2024-01-01&date_range_to=2024-02-01");
        var id = created.GetProperty("id").GetInt32();

        // As the SDK's PUT: every value in the query string, PHP-empty values sent as "key=".
        var put = await api.PutQueryAsync($"moderationviews/{id}",
            "view_name=After&columns_user_col=&columns_pin_col=1&filter_value_media=&filter_value_origin%5B0%5D=rss&other_display=&date_range_from=&sort_by=oldest");
        put.AssertOk();
        var updated = put.Data;

        Assert.Equal("After", updated.GetProperty("view_name").GetString());
        Assert.Equal("oldest", updated.GetProperty("sort_by").GetString());
        Assert.Equal(["select_col", "pin_col"], updated.TrueKeys("column"));
        var filter = updated.GetProperty("filter");
        Assert.Empty(filter.GetProperty("media").EnumerateArray());
        Assert.Equal(["rss"], filter.GetProperty("origin").Strings());
        Assert.Equal([tag], filter.GetProperty("tags").Ints());
        Assert.Equal("hello", filter.GetProperty("content_search").GetString());
        Assert.Equal(40, updated.GetProperty("other").GetProperty("all_content_length").GetInt32());
        Assert.Equal("table", updated.GetProperty("other").GetProperty("display").GetString());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("date").GetProperty("from").ValueKind);
        Assert.Equal("2024-02-01T00:00:00Z", updated.GetProperty("date").GetProperty("to").GetString());
        Assert.Equal(created.GetProperty("created_at").GetInt64(), updated.GetProperty("created_at").GetInt64());
        Assert.Equal(created.GetProperty("owner_id").GetInt32(), updated.GetProperty("owner_id").GetInt32());

        Assert.Equal(updated.GetRawText(), (await api.GetAsync($"moderationviews/{id}")).Data.GetRawText());
    }

    [Fact]
    public async Task A_json_body_round_trips_with_json_types()
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var api = clients.Owner;
        var tags = new[] { await api.CreateTagAsync("A"), await api.CreateTagAsync("B") };

        // No Content-Type: the body is sniffed as JSON.
        var post = await api.SendRawJsonAsync(HttpMethod.Post, "moderationviews", $$"""
            {"view_name": "From JSON", "access_type": "public", "columns_star_col": true, "columns_abuse_col": false,
             "filter_value_origin": ["facebook", "youtube"], "filter_value_tags": [{{tags[0]}}, "{{tags[1]}}"],
             "filter_value_abuse": false, "filter_value_filter_by_claimed": "unclaimed_only",
             "other_all_content_length": 100, "other_live_updates": true, "date_range_to": "2025-06-30T23:59:59Z", "sort_by": "score"}
            """);
        post.AssertOk();
        var id = post.Data.GetProperty("id").GetInt32();
        Assert.Equal(["star_col"], post.Data.TrueKeys("column"));
        Assert.Equal(["facebook", "youtube"], post.Data.GetProperty("filter").GetProperty("origin").Strings());
        Assert.Equal(tags, post.Data.GetProperty("filter").GetProperty("tags").Ints());
        Assert.Equal("unclaimed_only", post.Data.GetProperty("filter").GetProperty("filter_by_claimed").GetString());
        Assert.Equal(100, post.Data.GetProperty("other").GetProperty("all_content_length").GetInt32());
        Assert.True(post.Data.GetProperty("other").GetProperty("live_updates").GetBoolean());
        Assert.Equal("2025-06-30T23:59:59Z", post.Data.GetProperty("date").GetProperty("to").GetString());
        Assert.Equal("score", post.Data.GetProperty("sort_by").GetString());

        // A JSON PUT with a proper Content-Type; an empty array clears a list.
        var put = await api.SendAsync(HttpMethod.Put, api.Url($"moderationviews/{id}"), new StringContent(
            """{"columns_star_col": false, "columns_tags_col": 1, "filter_value_tags": [], "filter_value_media": "text,html", "other_live_updates": "0"}""",
            Encoding.UTF8,
            "application/json"));
        put.AssertOk();
        Assert.Equal(["tags_col"], put.Data.TrueKeys("column"));
        Assert.Empty(put.Data.GetProperty("filter").GetProperty("tags").EnumerateArray());
        Assert.Equal(["text", "html"], put.Data.GetProperty("filter").GetProperty("media").Strings());
        Assert.Equal(["facebook", "youtube"], put.Data.GetProperty("filter").GetProperty("origin").Strings());
        Assert.False(put.Data.GetProperty("other").GetProperty("live_updates").GetBoolean());
        Assert.Equal("From JSON", put.Data.GetProperty("view_name").GetString());
        Assert.Equal(put.Data.GetRawText(), (await api.GetAsync($"moderationviews/{id}")).Data.GetRawText());
    }

    [Fact]
    public async Task The_owner_is_the_tokens_user_and_never_changes()
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var moderator = await clients.OtherUserAsync(AclGroups.Moderator);
        var view = await moderator.CreateViewAsync($"view_name=Mine&owner_id={clients.Stack.UserId}&stack_id=1");
        var id = view.GetProperty("id").GetInt32();
        var moderatorId = view.GetProperty("owner_id").GetInt32();
        Assert.NotEqual(clients.Stack.UserId, moderatorId);
        Assert.Equal(clients.Stack.StackId, view.GetProperty("stack_id").GetInt32());

        var put = await clients.Owner.PutQueryAsync($"moderationviews/{id}", $"owner_id={clients.Stack.UserId}&view_name=Renamed+by+admin");
        put.AssertOk();
        Assert.Equal(moderatorId, put.Data.GetProperty("owner_id").GetInt32());
        Assert.Equal("Renamed by admin", put.Data.GetProperty("view_name").GetString());
    }

    [Fact]
    public async Task Delete_returns_the_deleted_view_and_then_it_is_gone()
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var api = clients.Owner;
        var view = await api.CreateViewAsync("view_name=Doomed&columns_pin_col=1");
        var id = view.GetProperty("id").GetInt32();

        var deleted = await api.DeleteAsync($"moderationviews/{id}");
        deleted.AssertOk();
        Assert.Equal(view.GetRawText(), deleted.Data.GetRawText());

        (await api.GetAsync($"moderationviews/{id}")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
        (await api.PutQueryAsync($"moderationviews/{id}", "view_name=Back")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
        (await api.DeleteAsync($"moderationviews/{id}")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
        Assert.Empty(await api.ListViewIdsAsync());
    }

    [Fact]
    public async Task The_list_is_ordered_by_id_and_paged()
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var api = clients.Owner;
        var ids = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await api.CreateViewIdAsync($"view_name=V{i}"));
        }

        Assert.Equal(ids, await api.ListViewIdsAsync());
        Assert.Equal(ids[..2], await api.ListViewIdsAsync("limit=2&page=1"));
        Assert.Equal(ids[2..4], await api.ListViewIdsAsync("limit=2&page=2"));
        Assert.Equal(ids[4..], await api.ListViewIdsAsync("limit=2&page=3"));
        Assert.Empty(await api.ListViewIdsAsync("limit=2&page=4"));
        Assert.Equal(ids, await api.ListViewIdsAsync("limit=&page="));
    }

    [Fact]
    public async Task Every_path_answers_in_the_envelope_with_xml_too()
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var id = await clients.Owner.CreateViewIdAsync("view_name=Xml&filter_value_media=image");
        var xml = await clients.Owner.SendAsync(HttpMethod.Get, $"/api/moderationviews/{id}.xml?access_token={clients.Owner.Token}&stack={clients.Owner.Stack}");
        Assert.Equal(HttpStatusCode.OK, xml.Status);
        Assert.Contains("<view_name>Xml</view_name>", xml.Body, StringComparison.Ordinal);
        Assert.Contains("<media><item>image</item></media>", xml.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_token_may_read_but_not_write()
    {
        var clients = await ModerationViewClients.CreateAsync(factory);
        var id = await clients.Owner.CreateViewIdAsync("view_name=Shared");
        var reader = await clients.OtherUserAsync(AclGroups.Moderator, TokenScope.Read);

        Assert.Equal([id], await reader.ListViewIdsAsync());
        (await reader.GetAsync($"moderationviews/{id}")).AssertOk();
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostFormAsync("moderationviews", "view_name=No")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutQueryAsync($"moderationviews/{id}", "view_name=No")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync($"moderationviews/{id}")).Status);
        Assert.Equal("Shared", (await clients.Owner.GetAsync($"moderationviews/{id}")).Data.GetProperty("view_name").GetString());
    }
}
