using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Tiles;

/// <summary>The PHP SDK's TileTest (reference §3.4), replayed with the SDK's exact encodings.</summary>
[Collection(ApiCollection.Name)]
public sealed class TileSdkFlowTests(TesseraFactory factory)
{
    private const string ImageUrl =
        "https%3A%2F%2Fscontent-syd2-1.cdninstagram.com%2Ft51.2885-15%2Fe35%2F14374061_652837251542826_5176014892573917184_n.jpg";

    [Fact]
    public async Task Sdk_tile_test_flow_create_fetch_update_tag_untag_disable()
    {
        var api = await factory.NewStackClientAsync();
        var defaultTagId = await api.CreateTagAsync("Default tag");
        const string Stamp = "2016-09-21+03%3A04%3A05";

        // testCreate: term_id before the credentials in the query; no media; form body.
        var created = await api.PostTileAsync(
            $"name=Test+tile%27s+name&message=Test+tile%27s+message+%23testtile+{Stamp}&image_url={ImageUrl}", api.PostTermId);
        created.AssertOk();
        var staFeedId = created.Data.GetProperty("sta_feed_id").GetString()!;
        Assert.False(string.IsNullOrEmpty(staFeedId));
        Assert.True(created.Data.GetProperty("created_at").GetInt64() > 0);
        var createdTagCount = created.Data.GetProperty("tags").GetArrayLength();
        (await api.GetAsync($"tiles/guid:{staFeedId}")).AssertOk(); // ingested synchronously: no 15 s wait

        // testFetch: the default filter has content.
        var content = await api.GetAsync($"filters/{api.LatestFilterId}/content", "page=1&limit=25");
        content.AssertOk();
        Assert.True(content.Data.GetArrayLength() > 0);

        // testFetchByStacklaFeedId
        var bySfid = await api.GetAsync($"tiles/sta_feed_id:{staFeedId}");
        bySfid.AssertOk();
        Assert.Equal(staFeedId, bySfid.Data.GetProperty("sta_feed_id").GetString());
        Assert.True(bySfid.Data.GetProperty("created_at").GetInt64() > 0);
        var id = bySfid.Data.GetProperty("id").GetString()!;
        Assert.Equal(id, bySfid.Data.GetProperty("_id").GetProperty("$id").GetString());

        // testFetchById
        var byId = await api.GetAsync($"tiles/{id}");
        byId.AssertOk();
        Assert.Equal(id, byId.Data.GetProperty("id").GetString());
        Assert.True(byId.Data.GetProperty("created_at").GetInt64() > 0);

        // testUpdate: name and message edited through the PUT query.
        var loaded = (await api.GetAsync($"tiles/guid:{staFeedId}")).Data;
        var name = loaded.GetProperty("name").GetString()!;
        var message = loaded.GetProperty("message").GetString()!;
        Assert.Equal("Test tile's name", name);
        Assert.Equal("Test tile's message #testtile 2016-09-21 03:04:05", message);
        // http_build_query: RFC 1738, spaces as '+'.
        (await api.PutQueryAsync($"tiles/{id}", $"name={WebUtility.UrlEncode(name + " - Edited")}&message={WebUtility.UrlEncode(message + " - Edited")}")).AssertOk();
        var edited = (await api.GetAsync($"tiles/guid:{staFeedId}")).Data;
        Assert.Equal($"{message} - Edited", edited.GetProperty("message").GetString());
        Assert.Equal($"{name} - Edited", edited.GetProperty("name").GetString());

        // testAddTag: the whole tag list as CSV (comma percent-encoded), the new tag last.
        (await api.GetAsync($"tags/{defaultTagId}")).AssertOk();
        var existing = (await api.GetAsync($"tiles/guid:{staFeedId}")).Data.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!);
        var csv = string.Join("%2C", existing.Append(defaultTagId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        (await api.PutQueryAsync($"tiles/{id}", $"tags={csv}")).AssertOk();
        var tags = (await api.GetAsync($"tiles/guid:{staFeedId}")).Data.GetProperty("tags");
        Assert.True(tags.GetArrayLength() > 0);
        Assert.Equal(defaultTagId.ToString(System.Globalization.CultureInfo.InvariantCulture), tags[tags.GetArrayLength() - 1].GetString());

        // testDeleteTag: the remaining list (here empty) clears the tag again.
        (await api.GetAsync($"tags/{defaultTagId}")).AssertOk();
        (await api.GetAsync($"tiles/guid:{staFeedId}")).AssertOk();
        (await api.PutQueryAsync($"tiles/{id}", "tags=")).AssertOk();
        Assert.Equal(createdTagCount, (await api.GetAsync($"tiles/guid:{staFeedId}")).Data.GetProperty("tags").GetArrayLength());

        // testDisabled
        (await api.GetAsync($"tiles/guid:{staFeedId}")).AssertOk();
        (await api.PutQueryAsync($"tiles/{id}", "status=disabled")).AssertOk();
        Assert.Equal("disabled", (await api.GetAsync($"tiles/guid:{staFeedId}")).Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sdk_create_without_a_term_sends_an_empty_leading_query_segment_and_uses_the_post_term()
    {
        var api = await factory.NewStackClientAsync();
        var created = await api.PostTileAsync("message=No+term+given");
        created.AssertOk();
        Assert.Equal(api.PostTermId, created.Data.GetProperty("term_id").GetInt32());
        Assert.Equal("published", created.Data.GetProperty("status").GetString());
        (await api.GetAsync($"tiles/guid:{created.Data.GetProperty("sta_feed_id").GetString()}")).AssertOk();
    }
}
