using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Tiles;

[Collection(ApiCollection.Name)]
public sealed partial class TileApiTests(TesseraFactory factory)
{
    private const string Image = "image_url=https%3A%2F%2Fcdn.example%2Fa.jpg";
    private const string Video = "video_url=https%3A%2F%2Fcdn.example%2Fa.mp4";
    private const string Html = "html=%3Cp%3Ehello%3C%2Fp%3E";

    [Theory]
    [InlineData($"message=m&{Video}", "video")]
    [InlineData($"message=m&{Html}", "html")]
    [InlineData($"message=m&{Image}", "image")]
    [InlineData("message=just+words", "text")]
    [InlineData($"message=m&{Image}&{Video}", "video")]
    [InlineData($"message=m&{Image}&{Html}", "html")]
    [InlineData($"{Image}", "image")]
    [InlineData($"message=m&{Image}&media=text", "text")]
    [InlineData($"message=m&{Image}&media=image", "image")]
    public async Task Media_is_inferred_from_the_content_when_not_given(string form, string media)
    {
        var api = await factory.NewStackClientAsync();
        var tile = await api.CreateTileAsync(form);
        Assert.Equal(media, tile.GetProperty("media").GetString());
        Assert.Equal(media, (await api.GetAsync($"tiles/{tile.GetProperty("id").GetString()}")).Data.GetProperty("media").GetString());
    }

    [Fact]
    public async Task The_sdks_image_field_is_read_as_image_url_which_wins_when_both_are_sent()
    {
        var api = await factory.NewStackClientAsync();

        var viaImage = await api.CreateTileAsync("message=m&image=https%3A%2F%2Fcdn.example%2Fa.jpg");
        var both = await api.CreateTileAsync("message=m&image=https%3A%2F%2Fcdn.example%2Fa.jpg&image_url=https%3A%2F%2Fcdn.example%2Fb.jpg");

        Assert.Equal("https://cdn.example/a.jpg", viaImage.GetProperty("image_url").GetString());
        Assert.Equal("image", viaImage.GetProperty("media").GetString());
        Assert.Equal("https://cdn.example/b.jpg", both.GetProperty("image_url").GetString());
    }

    [Theory]
    [InlineData("message=m&media=video", "video_url")]
    [InlineData("message=m&media=html", "html")]
    [InlineData("message=m&media=gif", "media")]
    [InlineData("name=nobody", "message")]
    [InlineData("message=", "message")]
    public async Task Posts_missing_what_their_media_needs_are_400_naming_the_field(string form, string field)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostTileAsync(form, api.PostTermId);
        response.AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith(field, StringComparison.Ordinal));
        Assert.Empty(await api.ContentIdsAsync(api.LatestFilterId));
    }

    [Fact]
    public async Task The_terms_moderation_decides_the_initial_status_per_media()
    {
        var api = await factory.NewStackClientAsync();
        var termId = await api.CreateTermAsync(
            "name=Moderated+feed&display_name=Moderated&network=sta_feed&type=post&moderate_text=disable&moderate_image=queue&moderate_video=exclude");

        var image = await api.CreateTileAsync($"message=m&{Image}", termId);
        Assert.Equal("queued", image.GetProperty("status").GetString());
        Assert.True(image.GetProperty("queued").GetBoolean());
        Assert.False(image.GetProperty("disabled").GetBoolean());

        var text = await api.CreateTileAsync("message=words", termId);
        Assert.Equal("disabled", text.GetProperty("status").GetString());
        Assert.True(text.GetProperty("disabled").GetBoolean());

        var html = await api.CreateTileAsync($"message=m&{Html}", termId);
        Assert.Equal("disabled", html.GetProperty("status").GetString()); // html posts follow moderate_text

        var video = await api.PostTileAsync($"message=m&{Video}", termId);
        video.AssertError(HttpStatusCode.BadRequest, 1020400, "tile:excluded_by_term");

        // The excluded post was not stored in any status; the others are where their status says.
        Assert.Empty(await api.ContentIdsAsync(api.LatestFilterId));
        Assert.Equal([image.GetProperty("id").GetString()!], await api.ContentIdsAsync(api.LatestFilterId, "status=queued"));
        Assert.Equal(2, (await api.ContentIdsAsync(api.LatestFilterId, "status=disabled")).Length);

        // The stack's own post term publishes.
        Assert.Equal("published", (await api.CreateTileAsync($"message=m&{Video}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_status_given_with_the_post_is_used_and_queue_means_queued()
    {
        var api = await factory.NewStackClientAsync();
        Assert.Equal("queued", (await api.CreateTileAsync("message=m&status=queued")).GetProperty("status").GetString());
        Assert.Equal("queued", (await api.CreateTileAsync("message=m&status=queue")).GetProperty("status").GetString());
        (await api.PostTileAsync("message=m&status=pending", api.PostTermId)).AssertError(HttpStatusCode.BadRequest, 1020400);
    }

    [Fact]
    public async Task Posting_needs_an_active_post_term_of_the_stack()
    {
        var api = await factory.NewStackClientAsync();
        var hashtag = await api.CreateTermAsync("term=x&type=hashtag&network=twitter");
        var inactive = await api.CreateTermAsync("name=Off&network=sta_feed&type=post&active=0");

        foreach (var termId in new[] { hashtag, inactive, 999999 })
        {
            var response = await api.PostTileAsync("message=m", termId);
            response.AssertError(HttpStatusCode.BadRequest, 1020400);
            Assert.StartsWith("term_id", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        (await api.PostTileAsync("message=m&term_id=abc")).AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.Empty(await api.ContentIdsAsync(api.LatestFilterId));
    }

    [Fact]
    public async Task The_terms_default_tags_come_first_and_posted_tags_after()
    {
        var api = await factory.NewStackClientAsync();
        var d1 = await api.CreateTagAsync("Default 1");
        var d2 = await api.CreateTagAsync("Default 2");
        var p1 = await api.CreateTagAsync("Posted 1");
        var p2 = await api.CreateTagAsync("Posted 2");
        var termId = await api.CreateTermAsync($"name=Tagged+feed&network=sta_feed&type=post&tags%5B0%5D={d1}&tags%5B1%5D={d2}");

        var tile = await api.CreateTileAsync($"message=m&tags={p2},{p1}", termId);
        Assert.Equal(Strings(d1, d2, p2, p1), tile.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal([d1, d2, p2, p1], tile.GetProperty("tags_extended").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));

        // A posted tag that is also a default tag appears once, in the default's place.
        var again = await api.CreateTileAsync($"message=m&tags={p1},{d2}", termId);
        Assert.Equal(Strings(d1, d2, p1), again.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));

        // Bracket arrays work too.
        var bracket = await api.CreateTileAsync($"message=m&tags%5B0%5D={p1}", termId);
        Assert.Equal(Strings(d1, d2, p1), bracket.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
    }

    [Fact]
    public async Task The_name_falls_back_to_the_terms_display_name()
    {
        var api = await factory.NewStackClientAsync();
        Assert.Equal("UGC Post Feed", (await api.CreateTileAsync("message=m")).GetProperty("name").GetString());
        Assert.Equal("Jane", (await api.CreateTileAsync("message=m&name=Jane")).GetProperty("name").GetString());

        var termId = await api.CreateTermAsync("name=Brand+feed&display_name=Brand+Voice&network=sta_feed&type=post");
        Assert.Equal("Brand Voice", (await api.CreateTileAsync("message=m", termId)).GetProperty("name").GetString());
        Assert.Equal("Brand Voice", (await api.CreateTileAsync("message=m&name=", termId)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Put_tags_replaces_the_set_in_the_given_order_and_an_empty_value_clears_it()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var b = await api.CreateTagAsync("B");
        var c = await api.CreateTagAsync("C");
        var id = (await api.CreateTileAsync($"message=m&tags={a},{b}")).GetProperty("id").GetString()!;

        (await api.PutQueryAsync($"tiles/{id}", $"tags={c}%2C{a}")).AssertOk();
        var tile = (await api.GetAsync($"tiles/{id}")).Data;
        Assert.Equal(Strings(c, a), tile.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal(["C", "A"], tile.GetProperty("tags_extended").EnumerateArray().Select(t => t.GetProperty("tag").GetString()!));

        (await api.PutQueryAsync($"tiles/{id}", $"tags={b},{c},{a}")).AssertOk();
        Assert.Equal(Strings(b, c, a), await TagsAsync(api, id));

        (await api.PutQueryAsync($"tiles/{id}", $"tags%5B0%5D={a}&tags%5B1%5D={b}")).AssertOk();
        Assert.Equal(Strings(a, b), await TagsAsync(api, id));

        (await api.PutQueryAsync($"tiles/{id}", "status=published")).AssertOk(); // tags absent: kept
        Assert.Equal(Strings(a, b), await TagsAsync(api, id));

        (await api.PutQueryAsync($"tiles/{id}", "tags=")).AssertOk();
        Assert.Empty(await TagsAsync(api, id));
        Assert.Equal(0, (await api.GetAsync($"tiles/{id}")).Data.GetProperty("tags_extended").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_tag_ids_are_400_and_change_nothing()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var post = await api.PostTileAsync($"message=m&tags={a},999999", api.PostTermId);
        post.AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.StartsWith("tags", post.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await api.ContentIdsAsync(api.LatestFilterId));

        var id = (await api.CreateTileAsync($"message=m&tags={a}")).GetProperty("id").GetString()!;
        (await api.PutQueryAsync($"tiles/{id}", "tags=999999&message=changed")).AssertError(HttpStatusCode.BadRequest, 1020400);
        var tile = (await api.GetAsync($"tiles/{id}")).Data;
        Assert.Equal(Strings(a), tile.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal("m", tile.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Put_changes_the_content_fields_of_api_posted_tiles()
    {
        var api = await factory.NewStackClientAsync();
        var id = (await api.CreateTileAsync($"message=before&name=Before&{Image}")).GetProperty("id").GetString()!;

        (await api.PutQueryAsync($"tiles/{id}",
            "message=after&name=After&title=A+title&share_text=Share+me&html=%3Cb%3Ebold%3C%2Fb%3E" +
            "&avatar=https%3A%2F%2Fcdn.example%2Favatar.png&image_url=https%3A%2F%2Fcdn.example%2Fb.jpg")).AssertOk();
        var tile = (await api.GetAsync($"tiles/{id}")).Data;
        Assert.Equal("after", tile.GetProperty("message").GetString());
        Assert.Equal("After", tile.GetProperty("name").GetString());
        Assert.Equal("A title", tile.GetProperty("title").GetString());
        Assert.Equal("Share me", tile.GetProperty("share_text").GetString());
        Assert.Equal("<b>bold</b>", tile.GetProperty("html").GetString());
        Assert.Equal("https://cdn.example/avatar.png", tile.GetProperty("avatar").GetString());
        Assert.Equal("https://cdn.example/b.jpg", tile.GetProperty("image_url").GetString());
        Assert.Equal("image", tile.GetProperty("media").GetString());
        Assert.True(tile.GetProperty("updated_at").GetInt64() >= tile.GetProperty("created_at").GetInt64());
    }

    [Fact]
    public async Task Content_fields_of_collected_tiles_are_read_only_but_moderation_works()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var id = await TileSeeder.SeedAsync(factory, api.StackId, source: "twitter");

        var edit = await api.PutQueryAsync($"tiles/{id}", "message=rewritten&status=queued");
        edit.AssertError(HttpStatusCode.BadRequest, 1020400, "tile:read_only_field");
        Assert.StartsWith("message", edit.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("published", (await api.GetAsync($"tiles/{id}")).Data.GetProperty("status").GetString());

        (await api.PutQueryAsync($"tiles/{id}", $"status=queued&tags={tag}&latitude=1.5&longitude=2.5")).AssertOk();
        var tile = (await api.GetAsync($"tiles/{id}")).Data;
        Assert.Equal("queued", tile.GetProperty("status").GetString());
        Assert.Equal(Strings(tag), tile.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal("seeded twitter text", tile.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Delete_disables_the_tile_and_returns_it()
    {
        var api = await factory.NewStackClientAsync();
        var created = await api.CreateTileAsync("message=m");
        var id = created.GetProperty("id").GetString()!;

        var deleted = await api.DeleteAsync($"tiles/{id}");
        deleted.AssertOk();
        Assert.Equal(id, deleted.Data.GetProperty("id").GetString());
        Assert.Equal("disabled", deleted.Data.GetProperty("status").GetString());
        Assert.True(deleted.Data.GetProperty("disabled").GetBoolean());

        var fetched = (await api.GetAsync($"tiles/{id}")).Data; // no hard delete
        Assert.Equal("disabled", fetched.GetProperty("status").GetString());
        Assert.True(fetched.GetProperty("disabled").GetBoolean());
        Assert.Empty(await api.ContentIdsAsync(api.LatestFilterId));
        Assert.Equal([id], await api.ContentIdsAsync(api.LatestFilterId, "status=disabled"));

        (await api.DeleteAsync($"tiles/guid:{created.GetProperty("guid").GetString()}")).AssertOk(); // again, by guid: still 200
        (await api.PutQueryAsync($"tiles/{id}", "status=published")).AssertOk();
        Assert.Equal([id], await api.ContentIdsAsync(api.LatestFilterId));
        Assert.False((await api.GetAsync($"tiles/{id}")).Data.GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task A_client_guid_is_unique_in_the_stack_and_resolvable()
    {
        var api = await factory.NewStackClientAsync();
        var tile = await api.CreateTileAsync("message=m&guid=order-1234");
        var staFeedId = tile.GetProperty("sta_feed_id").GetString()!;
        Assert.Equal("order-1234", tile.GetProperty("guid").GetString());
        Assert.NotEqual("order-1234", staFeedId);

        var byGuid = await api.GetAsync("tiles/guid:order-1234");
        byGuid.AssertOk();
        Assert.Equal(tile.GetProperty("id").GetString(), byGuid.Data.GetProperty("id").GetString());
        (await api.GetAsync($"tiles/sta_feed_id:{staFeedId}")).AssertOk();
        (await api.GetAsync($"tiles/guid:{staFeedId}")).AssertOk();
        (await api.PutQueryAsync("tiles/guid:order-1234", "message=via+guid")).AssertOk();
        Assert.Equal("via guid", (await api.GetAsync($"tiles/sta_feed_id:{staFeedId}")).Data.GetProperty("message").GetString());

        (await api.PostTileAsync("message=again&guid=order-1234", api.PostTermId)).AssertError(HttpStatusCode.Conflict, 1020409, "tile:guid_exists");
        var other = await api.CreateTileAsync("message=other");
        (await api.PostTileAsync($"message=again&guid={other.GetProperty("sta_feed_id").GetString()}", api.PostTermId))
            .AssertError(HttpStatusCode.Conflict, 1020409, "tile:guid_exists");
        Assert.Equal(2, (await api.ContentIdsAsync(api.LatestFilterId)).Length);

        // Another stack may use the same guid for its own tile.
        var bob = await factory.NewStackClientAsync();
        var bobs = await bob.CreateTileAsync("message=bob&guid=order-1234");
        Assert.Equal(bobs.GetProperty("id").GetString(), (await bob.GetAsync("tiles/guid:order-1234")).Data.GetProperty("id").GetString());
        Assert.Equal(tile.GetProperty("id").GetString(), (await api.GetAsync("tiles/guid:order-1234")).Data.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Concurrent_posts_with_one_guid_store_one_tile()
    {
        var api = await factory.NewStackClientAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.PostTileAsync("message=race&guid=race-1", api.PostTermId)));
        Assert.Equal(1, responses.Count(r => r.Status == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.Status != HttpStatusCode.OK), r => r.AssertError(HttpStatusCode.Conflict, 1020409, "tile:guid_exists"));
        Assert.Single(await api.ContentIdsAsync(api.LatestFilterId));
    }

    [Fact]
    public async Task A_tile_has_the_stackla_json_shape()
    {
        var api = await factory.NewStackClientAsync();
        var tagId = await api.CreateTagAsync("Shoe", "&type=product&price=9.99");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var tile = await api.CreateTileAsync($"message=hello&name=Jane&{Image}&tags={tagId}");
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var id = tile.GetProperty("id").GetString()!;
        Assert.Matches(ObjectIdShape(), id);
        Assert.Equal(id, tile.GetProperty("_id").GetProperty("$id").GetString());
        var createdAt = tile.GetProperty("created_at").GetInt64();
        Assert.InRange(createdAt, before, after);
        Assert.Equal(createdAt, long.Parse(id[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.True(tile.GetProperty("updated_at").GetInt64() >= createdAt);
        Assert.True(tile.GetProperty("source_created_at").GetInt64() > 0);

        var staFeedId = tile.GetProperty("sta_feed_id").GetString()!;
        Assert.Equal(staFeedId, tile.GetProperty("guid").GetString());
        Assert.Equal("sta_feed", tile.GetProperty("source").GetString());
        Assert.Equal($"sta_feed:{staFeedId}", tile.GetProperty("source_unique_id").GetString());
        Assert.Equal(api.StackId, tile.GetProperty("stack_id").GetInt32());
        Assert.Equal(api.PostTermId, tile.GetProperty("term_id").GetInt32());
        Assert.Equal(["UGC Post Feed"], tile.GetProperty("terms").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal(api.PostTermId, tile.GetProperty("term_meta")[0].GetProperty("term_id").GetInt32());
        Assert.Equal("published", tile.GetProperty("status").GetString());
        Assert.False(tile.GetProperty("disabled").GetBoolean());
        Assert.False(tile.GetProperty("queued").GetBoolean());
        Assert.Equal(JsonValueKind.Array, tile.GetProperty("disabled_reason").ValueKind);
        Assert.Equal("hello", tile.GetProperty("message").GetString());
        Assert.Equal("Jane", tile.GetProperty("name").GetString());
        Assert.Equal("https://cdn.example/a.jpg", tile.GetProperty("image_url").GetString());

        var tags = tile.GetProperty("tags");
        Assert.Equal(JsonValueKind.String, tags[0].ValueKind);
        Assert.Equal(tagId.ToString(CultureInfo.InvariantCulture), tags[0].GetString());
        var extended = tile.GetProperty("tags_extended")[0];
        Assert.Equal(JsonValueKind.Object, extended.ValueKind);
        Assert.Equal(tagId, extended.GetProperty("id").GetInt32());
        Assert.Equal("Shoe", extended.GetProperty("tag").GetString());
        Assert.Equal("9.99", extended.GetProperty("price").GetString());

        Assert.Equal(JsonValueKind.Object, tile.GetProperty("custom_fields").ValueKind);
        Assert.Equal(JsonValueKind.Number, tile.GetProperty("score").ValueKind);
        Assert.Equal(0, tile.GetProperty("numVotes").GetInt32());
        Assert.False(tile.GetProperty("claimed").GetBoolean());

        // GET by every id form returns the same object as the POST.
        foreach (var path in new[] { $"tiles/{id}", $"tiles/{id.ToUpperInvariant()}", $"tiles/guid:{staFeedId}", $"tiles/sta_feed_id:{staFeedId}" })
        {
            var fetched = await api.GetAsync(path);
            fetched.AssertOk();
            Assert.Equal(tile.GetRawText(), fetched.Data.GetRawText());
        }
    }

    [Fact]
    public async Task Custom_fields_merge_and_a_null_value_removes_a_key()
    {
        var api = await factory.NewStackClientAsync();
        var tile = await api.CreateTileAsync("message=m&custom_fields=%7B%22size%22%3A%22M%22%2C%22rank%22%3A2%7D");
        var id = tile.GetProperty("id").GetString()!;
        Assert.Equal("M", tile.GetProperty("custom_fields").GetProperty("size").GetString());
        Assert.Equal(2, tile.GetProperty("custom_fields").GetProperty("rank").GetInt32());

        (await api.PutQueryAsync($"tiles/{id}", "custom_fields%5Bcolour%5D=red&custom_fields%5Bsize%5D=L")).AssertOk();
        var fields = (await api.GetAsync($"tiles/{id}")).Data.GetProperty("custom_fields");
        Assert.Equal("L", fields.GetProperty("size").GetString());
        Assert.Equal(2, fields.GetProperty("rank").GetInt32());
        Assert.Equal("red", fields.GetProperty("colour").GetString());

        (await api.SendRawJsonAsync(HttpMethod.Put, $"tiles/{id}", """{"custom_fields": {"rank": null, "in,stock_2": true}}""")).AssertOk();
        fields = (await api.GetAsync($"tiles/{id}")).Data.GetProperty("custom_fields");
        Assert.False(fields.TryGetProperty("rank", out _));
        Assert.True(fields.GetProperty("in,stock_2").GetBoolean());
        Assert.Equal(["colour", "in,stock_2", "size"], fields.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("custom_fields%5Bbad-key%5D=1")]
    [InlineData("custom_fields%5Bwith+space%5D=1")]
    [InlineData("custom_fields=%7B%22%22%3A1%7D")]
    [InlineData("custom_fields=%5B1%2C2%5D")]
    [InlineData("custom_fields=not+json")]
    public async Task Custom_fields_with_bad_keys_or_not_an_object_are_400(string field)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostTileAsync($"message=m&{field}", api.PostTermId);
        response.AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.StartsWith("custom_fields", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var id = (await api.CreateTileAsync("message=m&custom_fields%5Bok%5D=1")).GetProperty("id").GetString()!;
        (await api.PutQueryAsync($"tiles/{id}", field)).AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.Equal("1", (await api.GetAsync($"tiles/{id}")).Data.GetProperty("custom_fields").GetProperty("ok").GetString());
    }

    [Fact]
    public async Task Custom_field_values_are_at_most_1024_bytes()
    {
        var api = await factory.NewStackClientAsync();
        (await api.PostTileAsync($"message=m&custom_fields%5Bnote%5D={new string('x', 1020)}", api.PostTermId)).AssertOk();
        (await api.PostTileAsync($"message=m&custom_fields%5Bnote%5D={new string('x', 1100)}", api.PostTermId)).AssertError(HttpStatusCode.BadRequest, 1020400);
    }

    [Theory]
    [InlineData("latitude=91")]
    [InlineData("latitude=-90.5")]
    [InlineData("longitude=180.01")]
    [InlineData("longitude=-181")]
    [InlineData("latitude=north")]
    [InlineData("latitude=NaN")]
    [InlineData("longitude=Infinity")]
    public async Task Coordinates_out_of_range_are_400(string coordinate)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostTileAsync($"message=m&{coordinate}", api.PostTermId);
        response.AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.StartsWith(coordinate.Split('=')[0], response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var id = (await api.CreateTileAsync("message=m")).GetProperty("id").GetString()!;
        (await api.PutQueryAsync($"tiles/{id}", coordinate)).AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.Equal(JsonValueKind.Null, (await api.GetAsync($"tiles/{id}")).Data.GetProperty(coordinate.Split('=')[0]).ValueKind);
    }

    [Fact]
    public async Task Coordinates_round_trip_as_decimal_strings_and_an_empty_value_clears_them()
    {
        var api = await factory.NewStackClientAsync();
        var tile = await api.CreateTileAsync("message=m&latitude=-33.8688&longitude=151.2093");
        Assert.Equal("-33.8688", tile.GetProperty("latitude").GetString());
        Assert.Equal("151.2093", tile.GetProperty("longitude").GetString());
        var id = tile.GetProperty("id").GetString()!;

        (await api.PutQueryAsync($"tiles/{id}", "latitude=90&longitude=-180")).AssertOk();
        Assert.Equal("90", (await api.GetAsync($"tiles/{id}")).Data.GetProperty("latitude").GetString());
        (await api.PutQueryAsync($"tiles/{id}", "latitude=&longitude=")).AssertOk();
        Assert.Equal(JsonValueKind.Null, (await api.GetAsync($"tiles/{id}")).Data.GetProperty("latitude").ValueKind);
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("0123456789abcdef01234567")]
    [InlineData("0123456789abcdef0123456")]
    [InlineData("0123456789abcdef012345678")]
    [InlineData("zz23456789abcdef01234567")]
    [InlineData("guid:nothing-here")]
    [InlineData("guid:")]
    [InlineData("sta_feed_id:nothing-here")]
    [InlineData("sta_feed_id:")]
    [InlineData("12345")]
    [InlineData("_id:0123456789abcdef01234567")]
    public async Task Unknown_or_malformed_tile_ids_are_404_tile_not_found(string tileId)
    {
        var api = await factory.NewStackClientAsync();
        await api.CreateTileAsync("message=m");
        (await api.GetAsync($"tiles/{tileId}")).AssertError(HttpStatusCode.NotFound, 1020404, "tile:not_found");
        (await api.PutQueryAsync($"tiles/{tileId}", "status=disabled")).AssertError(HttpStatusCode.NotFound, 1020404, "tile:not_found");
        (await api.DeleteAsync($"tiles/{tileId}")).AssertError(HttpStatusCode.NotFound, 1020404, "tile:not_found");
        Assert.Single(await api.ContentIdsAsync(api.LatestFilterId));
    }

    [Fact]
    public async Task A_message_of_32000_characters_is_accepted_and_longer_is_400()
    {
        var api = await factory.NewStackClientAsync();
        var tile = await api.CreateTileAsync($"message={new string('m', 32_000)}");
        Assert.Equal(32_000, tile.GetProperty("message").GetString()!.Length);

        var response = await api.PostTileAsync($"message={new string('m', 32_001)}", api.PostTermId);
        response.AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.StartsWith("message", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        (await api.PutQueryAsync($"tiles/{tile.GetProperty("id").GetString()}", $"html={new string('h', 32_001)}")).AssertError(HttpStatusCode.BadRequest, 1020400);
    }

    [Fact]
    public async Task A_tile_keeps_its_data_when_its_term_is_deleted()
    {
        var api = await factory.NewStackClientAsync();
        var termId = await api.CreateTermAsync("name=Short+lived&network=sta_feed&type=post");
        var id = (await api.CreateTileAsync("message=m", termId)).GetProperty("id").GetString()!;

        (await api.DeleteAsync($"terms/{termId}")).AssertOk();
        var tile = await api.GetAsync($"tiles/{id}");
        tile.AssertOk();
        Assert.Equal("m", tile.Data.GetProperty("message").GetString());
        Assert.Equal([id], await api.ContentIdsAsync(api.LatestFilterId));
        (await api.PostTileAsync("message=m", termId)).AssertError(HttpStatusCode.BadRequest, 1020400);
    }

    [Fact]
    public async Task Tiles_answer_in_json_or_xml_by_suffix_for_every_id_form()
    {
        var api = await factory.NewStackClientAsync();
        var tile = await api.CreateTileAsync("message=m&custom_fields%5Bin%2Cstock%5D=1&custom_fields%5B9lives%5D=2");
        var id = tile.GetProperty("id").GetString()!;
        var staFeedId = tile.GetProperty("sta_feed_id").GetString()!;

        var json = await api.GetAsync($"tiles/guid:{staFeedId}.json");
        json.AssertOk();
        Assert.Equal(id, json.Data.GetProperty("id").GetString());

        foreach (var path in new[] { $"tiles/{id}.xml", $"tiles/guid:{staFeedId}.xml", $"tiles/sta_feed_id:{staFeedId}.xml", $"filters/{api.LatestFilterId}/content.xml" })
        {
            var xml = await api.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, xml.Status);
            Assert.Equal("application/xml", xml.ContentType);
            var document = System.Xml.Linq.XDocument.Parse(xml.Body);
            Assert.Contains(id, document.Root!.Element("data")!.Value, StringComparison.Ordinal);
        }
    }

    private static string[] Strings(params int[] ids) => [.. ids.Select(i => i.ToString(CultureInfo.InvariantCulture))];

    private static async Task<string[]> TagsAsync(ApiClient api, string tileId)
    {
        var response = await api.GetAsync($"tiles/{tileId}");
        response.AssertOk();
        return [.. response.Data.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)];
    }

    [GeneratedRegex("^[0-9][0-9a-f]{23}$")]
    private static partial Regex ObjectIdShape();
}
