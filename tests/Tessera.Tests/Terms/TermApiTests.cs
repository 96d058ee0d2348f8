using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Terms;

[Collection(ApiCollection.Name)]
public sealed class TermApiTests(TesseraFactory factory)
{
    public static TheoryData<string, string> ValidPairs => new()
    {
        { "hashtag", "twitter" }, { "hashtag", "instagram" },
        { "user", "twitter" }, { "user", "instagram" }, { "user", "gplus" }, { "user", "youtube" },
        { "user", "flickr" }, { "user", "pinterest" }, { "user", "facebook" },
        { "search", "twitter" }, { "search", "gplus" }, { "search", "youtube" },
        { "location", "twitter" }, { "location", "instagram" },
        { "page", "facebook" }, { "page", "pinterest" },
        { "gallery", "flickr" }, { "set", "flickr" }, { "blog", "tumblr" }, { "default", "ecal" },
        { "post", "sta_feed" }, { "weiboshow", "weibo" }, { "weibopage", "weibo" }, { "weibotopic", "weibo" },
    };

    [Theory]
    [MemberData(nameof(ValidPairs))]
    public async Task Every_type_and_network_of_the_matrix_can_be_created(string type, string network)
    {
        var api = await factory.NewStackClientAsync();
        var created = await api.PostFormAsync("terms", $"name=T&term=something&type={type}&network={network}");
        created.AssertOk();
        Assert.Equal(type, created.Data.GetProperty("type").GetString());
        Assert.Equal(network, created.Data.GetProperty("network").GetString());
    }

    [Theory]
    [InlineData("hashtag", "facebook")]
    [InlineData("post", "twitter")]
    [InlineData("user", "sta_feed")]
    [InlineData("atom", "twitter")]
    [InlineData("page", "instagram")]
    [InlineData("default", "rss")]
    [InlineData("blog", "flickr")]
    [InlineData("weiboshow", "twitter")]
    public async Task A_type_outside_its_networks_is_400_naming_the_field_and_nothing_is_written(string type, string network)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("terms", $"name=T&term=https%3A%2F%2Ffeed.example%2Frss&type={type}&network={network}");
        response.AssertError(HttpStatusCode.BadRequest, 1080400);
        var message = response.Error.GetProperty("message").GetString()!;
        Assert.True(message.StartsWith("type", StringComparison.Ordinal) || message.StartsWith("network", StringComparison.Ordinal), message);
        Assert.Equal(1, (await api.GetAsync("terms")).Data.GetArrayLength()); // only the UGC Post Feed term
    }

    [Theory]
    [InlineData("term=x&type=hashtag", "network")]
    [InlineData("term=x&network=twitter", "type")]
    [InlineData("term=x&type=hashtag&network=myspace", "network")]
    [InlineData("term=x&type=selfie&network=twitter", "type")]
    [InlineData("type=hashtag&network=twitter", "term")]
    [InlineData("term=&type=hashtag&network=twitter", "term")]
    public async Task Missing_or_unknown_network_type_and_term_are_400_naming_the_field(string form, string field)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("terms", form);
        response.AssertError(HttpStatusCode.BadRequest, 1080400);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith(field, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Network_and_type_cannot_change_on_update()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTermAsync("name=Original&term=summer&type=hashtag&network=twitter");

        var network = await api.PutQueryAsync($"terms/{id}", "network=instagram&name=Changed");
        network.AssertError(HttpStatusCode.BadRequest, 1080400, "term:immutable_field");
        Assert.StartsWith("network", network.Error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var type = await api.PutQueryAsync($"terms/{id}", "type=user&name=Changed");
        type.AssertError(HttpStatusCode.BadRequest, 1080400, "term:immutable_field");
        Assert.StartsWith("type", type.Error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var term = (await api.GetAsync($"terms/{id}")).Data;
        Assert.Equal("twitter", term.GetProperty("network").GetString());
        Assert.Equal("hashtag", term.GetProperty("type").GetString());
        Assert.Equal("Original", term.GetProperty("name").GetString()); // no partial write

        // Sending the current values back (as the SDK does with a loaded term) is fine.
        (await api.PutQueryAsync($"terms/{id}", "network=twitter&type=hashtag&name=Changed")).AssertOk();
        Assert.Equal("Changed", (await api.GetAsync($"terms/{id}")).Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Moderation_values_are_validated_and_stored()
    {
        var api = await factory.NewStackClientAsync();
        var bad = await api.PostFormAsync("terms", "name=T&term=x&type=hashtag&network=twitter&moderate_text=approve");
        bad.AssertError(HttpStatusCode.BadRequest, 1080400);
        Assert.StartsWith("moderate_text", bad.Error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var id = await api.CreateTermAsync("name=T&term=x&type=hashtag&network=twitter&moderate_text=queue&moderate_image=disable&moderate_video=exclude");
        var term = (await api.GetAsync($"terms/{id}")).Data;
        Assert.Equal("queue", term.GetProperty("moderate_text").GetString());
        Assert.Equal("disable", term.GetProperty("moderate_image").GetString());
        Assert.Equal("exclude", term.GetProperty("moderate_video").GetString());

        (await api.PutQueryAsync($"terms/{id}", "moderate_image=publish")).AssertOk();
        Assert.Equal("publish", (await api.GetAsync($"terms/{id}")).Data.GetProperty("moderate_image").GetString());

        var badUpdate = await api.PutQueryAsync($"terms/{id}", "moderate_video=maybe");
        badUpdate.AssertError(HttpStatusCode.BadRequest, 1080400);
        Assert.StartsWith("moderate_video", badUpdate.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("exclude", (await api.GetAsync($"terms/{id}")).Data.GetProperty("moderate_video").GetString());
    }

    [Fact]
    public async Task Moderation_defaults_to_publish()
    {
        var api = await factory.NewStackClientAsync();
        var term = (await api.PostFormAsync("terms", "term=x&type=hashtag&network=instagram")).Data;
        Assert.Equal("publish", term.GetProperty("moderate_text").GetString());
        Assert.Equal("publish", term.GetProperty("moderate_image").GetString());
        Assert.Equal("publish", term.GetProperty("moderate_video").GetString());
        Assert.Equal(1, term.GetProperty("active").GetInt32());
    }

    [Fact]
    public async Task Tags_are_linked_and_unlinked_through_the_tags_sub_resource()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTermAsync("name=T&term=x&type=hashtag&network=twitter");
        var first = await api.CreateTagAsync("First");
        var second = await api.CreateTagAsync("Second");

        var added = await api.SendAsync(HttpMethod.Post, api.Url($"terms/{id}/tags/{first}"));
        added.AssertOk();
        Assert.Equal([first], added.Data.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        (await api.SendAsync(HttpMethod.Post, api.Url($"terms/{id}/tags/{second}"))).AssertOk();
        (await api.SendAsync(HttpMethod.Post, api.Url($"terms/{id}/tags/{first}"))).AssertOk(); // again: no duplicate
        Assert.Equal([first, second], await TagIdsAsync(api, id));

        var removed = await api.SendAsync(HttpMethod.Delete, api.Url($"terms/{id}/tags/{first}"));
        removed.AssertOk();
        Assert.Equal([second], await TagIdsAsync(api, id));
        (await api.SendAsync(HttpMethod.Delete, api.Url($"terms/{id}/tags/{first}"))).AssertOk(); // not linked: nothing to do

        (await api.SendAsync(HttpMethod.Post, api.Url($"terms/{id}/tags/999999"))).AssertError(HttpStatusCode.NotFound, 1080404);
        (await api.SendAsync(HttpMethod.Post, api.Url($"terms/999999/tags/{first}"))).AssertError(HttpStatusCode.NotFound, 1080404, "term:not_found");
        (await api.SendAsync(HttpMethod.Delete, api.Url($"terms/999999/tags/{first}"))).AssertError(HttpStatusCode.NotFound, 1080404, "term:not_found");
    }

    [Fact]
    public async Task Tags_keep_their_order_in_every_list_form_and_unknown_tags_are_400()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var b = await api.CreateTagAsync("B");
        var c = await api.CreateTagAsync("C");

        var id = await api.CreateTermAsync($"term=x&type=hashtag&network=twitter&tags%5B0%5D={c}&tags%5B1%5D={a}");
        Assert.Equal([c, a], await TagIdsAsync(api, id));
        (await api.PutQueryAsync($"terms/{id}", $"tags={b},{c}")).AssertOk();
        Assert.Equal([b, c], await TagIdsAsync(api, id));
        (await api.PutQueryAsync($"terms/{id}", $"tags=%5B{a}%2C{b}%5D")).AssertOk(); // a JSON array
        Assert.Equal([a, b], await TagIdsAsync(api, id));

        var unknown = await api.PutQueryAsync($"terms/{id}", $"tags%5B0%5D={a}&tags%5B1%5D=999999");
        unknown.AssertError(HttpStatusCode.BadRequest, 1080400);
        Assert.StartsWith("tags", unknown.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal([a, b], await TagIdsAsync(api, id));
        (await api.PostFormAsync("terms", "term=x&type=hashtag&network=twitter&tags%5B0%5D=999999")).AssertError(HttpStatusCode.BadRequest, 1080400);
    }

    [Theory]
    [InlineData("twitter", "hashtag", "not_connected")]
    [InlineData("instagram", "user", "not_connected")]
    [InlineData("facebook", "page", "not_connected")]
    [InlineData("youtube", "search", "not_connected")]
    [InlineData("sta_feed", "post", "active")]
    public async Task Ingestion_status_says_whether_this_deployment_collects_the_network(string network, string type, string status)
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTermAsync($"term=x&type={type}&network={network}");
        Assert.Equal(status, (await api.GetAsync($"terms/{id}")).Data.GetProperty("ingestion_status").GetString());
        Assert.Contains(status, (await api.GetAsync("terms")).Data.EnumerateArray()
            .Where(t => t.GetProperty("id").GetInt32() == id).Select(t => t.GetProperty("ingestion_status").GetString()));
    }

    [Fact]
    public async Task Created_and_modified_are_unix_seconds_and_modified_moves_on_update()
    {
        var api = await factory.NewStackClientAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var created = (await api.PostFormAsync("terms", "name=T&term=x&type=hashtag&network=twitter")).Data;
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var id = created.GetProperty("id").GetInt32();
        Assert.InRange(created.GetProperty("created").GetInt64(), before, after);
        Assert.InRange(created.GetProperty("modified").GetInt64(), before, after);

        await Task.Delay(1100); // timestamps are whole seconds
        (await api.PutQueryAsync($"terms/{id}", "name=Later")).AssertOk();
        var updated = (await api.GetAsync($"terms/{id}")).Data;
        Assert.Equal(created.GetProperty("created").GetInt64(), updated.GetProperty("created").GetInt64());
        Assert.True(updated.GetProperty("modified").GetInt64() > created.GetProperty("modified").GetInt64());
    }

    [Theory]
    [InlineData("atom", "ftp%3A%2F%2Ffeed.example%2Frss")]
    [InlineData("atom", "feed.example%2Frss")]
    [InlineData("atom", "javascript%3Aalert(1)")]
    [InlineData("page", "not+a+url")]
    [InlineData("atom", "")]
    public async Task An_rss_term_needs_an_http_or_https_url(string type, string term)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("terms", $"name=Feed&type={type}&network=rss&term={term}");
        response.AssertError(HttpStatusCode.BadRequest, 1080400);
        Assert.StartsWith("term", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_rss_term_with_an_https_url_is_stored_and_its_url_validated_on_update()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTermAsync("name=Feed&type=atom&network=rss&term=https%3A%2F%2Ffeed.example%2Frss.xml");
        Assert.Equal("https://feed.example/rss.xml", (await api.GetAsync($"terms/{id}")).Data.GetProperty("term").GetString());

        (await api.PutQueryAsync($"terms/{id}", "term=gopher%3A%2F%2Ffeed.example")).AssertError(HttpStatusCode.BadRequest, 1080400);
        (await api.PutQueryAsync($"terms/{id}", "term=http%3A%2F%2Ffeed.example%2Fother.xml")).AssertOk();
        Assert.Equal("http://feed.example/other.xml", (await api.GetAsync($"terms/{id}")).Data.GetProperty("term").GetString());
    }

    [Fact]
    public async Task Csv_fields_accept_csv_bracket_and_json_arrays_and_come_back_as_csv()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTermAsync(
            "term=x&type=hashtag&network=twitter&filter=sun,sea&exclude_filter%5B0%5D=rain&exclude_filter%5B1%5D=snow" +
            "&whitelist_handles=%5B%22alice%22%2C%22bob%22%5D&blacklist_handles=");
        var term = (await api.GetAsync($"terms/{id}")).Data;
        Assert.Equal("sun,sea", term.GetProperty("filter").GetString());
        Assert.Equal("rain,snow", term.GetProperty("exclude_filter").GetString());
        Assert.Equal("alice,bob", term.GetProperty("whitelist_handles").GetString());
        Assert.Equal(string.Empty, term.GetProperty("blacklist_handles").GetString());

        (await api.PutQueryAsync($"terms/{id}", "filter=")).AssertOk();
        Assert.Equal(string.Empty, (await api.GetAsync($"terms/{id}")).Data.GetProperty("filter").GetString());
    }

    [Fact]
    public async Task Switches_and_numbers_round_trip_with_the_sdk_empty_value_rules()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTermAsync("term=x&type=search&network=twitter&retweet_enable=1&minimum_fallowers=50&num_of_backfill=20&active=1");
        var term = (await api.GetAsync($"terms/{id}")).Data;
        Assert.Equal(1, term.GetProperty("retweet_enable").GetInt32());
        Assert.Equal(0, term.GetProperty("reply_enable").GetInt32());
        Assert.Equal(50, term.GetProperty("minimum_followers").GetInt32());
        Assert.Equal(20, term.GetProperty("num_of_backfill").GetInt32());

        // The SDK sends false and 0 as empty strings in PUT queries.
        (await api.PutQueryAsync($"terms/{id}", "retweet_enable=&active=&minimum_followers=")).AssertOk();
        term = (await api.GetAsync($"terms/{id}")).Data;
        Assert.Equal(0, term.GetProperty("retweet_enable").GetInt32());
        Assert.Equal(0, term.GetProperty("active").GetInt32());
        Assert.Equal(0, term.GetProperty("minimum_followers").GetInt32());
    }

    [Fact]
    public async Task Terms_page_in_id_order_without_overlap()
    {
        var api = await factory.NewStackClientAsync();
        for (var i = 0; i < 6; i++)
        {
            await api.CreateTermAsync($"name=T{i}&term=x{i}&type=hashtag&network=twitter");
        }

        var pages = new List<int>();
        for (var page = 1; page <= 3; page++)
        {
            var response = await api.GetAsync("terms", $"limit=3&page={page}");
            response.AssertOk();
            pages.AddRange(response.Data.EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        }

        Assert.Equal(7, pages.Count);
        Assert.Equal(pages.Order(), pages);
        Assert.Equal(7, pages.Distinct().Count());
    }

    private static async Task<int[]> TagIdsAsync(ApiClient api, int termId)
    {
        var response = await api.GetAsync($"terms/{termId}");
        response.AssertOk();
        return [.. response.Data.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("id").GetInt32())];
    }

    [Fact]
    public async Task A_term_without_a_name_is_named_after_its_query_cut_to_255_characters()
    {
        var api = await factory.NewStackClientAsync();
        var query = new string('q', 300);

        var created = await api.PostFormAsync("terms", $"network=twitter&type=hashtag&term={query}");

        created.AssertOk();
        Assert.Equal(query[..255], created.Data.GetProperty("name").GetString());
        Assert.Equal(query, created.Data.GetProperty("term").GetString());
    }
}
