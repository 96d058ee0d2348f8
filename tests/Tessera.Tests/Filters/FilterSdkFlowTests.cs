using System.Net;
using System.Text.Json;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Filters;

/// <summary>The PHP SDK's FilterTest (reference §3.2), replayed with the SDK's exact encodings.</summary>
[Collection(ApiCollection.Name)]
public sealed class FilterSdkFlowTests(TesseraFactory factory)
{
    private const string U = "5f3a9c1b2d4e8";

    [Fact]
    public async Task Sdk_filter_test_flow_create_fetch_contents_update_remove()
    {
        var api = await factory.NewStackClientAsync();
        var defaultTagId = await api.CreateTagAsync("Default tag");
        await api.CreateTileAsync("message=Something+to+show"); // DEFAULT_FILTER_ID needs at least one published tile

        // testCreate
        var created = await api.PostFormAsync("filters",
            $"name=Test+filter+{U}&enabled=0&sort=source_created_at_desc&orders=11&tags%5B0%5D={defaultTagId}&media%5B0%5D=image&media%5B1%5D=text&networks%5B0%5D=twitter&networks%5B1%5D=instagram&networks%5B2%5D=sta_feed");
        created.AssertOk();
        var id = created.Data.GetProperty("id").GetInt32();
        Assert.True(id > 0);

        var fetched = await api.GetAsync($"filters/{id}");
        fetched.AssertOk();
        foreach (var field in new[] { "name", "sort", "orders", "enabled", "media", "networks" })
        {
            Assert.Equal(created.Data.GetProperty(field).GetRawText(), fetched.Data.GetProperty(field).GetRawText());
        }

        Assert.Equal($"Test filter {U}", fetched.Data.GetProperty("name").GetString());
        Assert.Equal("source_created_at_desc", fetched.Data.GetProperty("sort").GetString());
        Assert.Equal(11, fetched.Data.GetProperty("orders").GetInt32());
        Assert.Equal(0, fetched.Data.GetProperty("enabled").GetInt32());
        Assert.Equal(["image", "text"], fetched.Data.GetProperty("media").EnumerateArray().Select(m => m.GetString()!));
        Assert.Equal(["twitter", "instagram", "sta_feed"], fetched.Data.GetProperty("networks").EnumerateArray().Select(m => m.GetString()!));
        Assert.Equal([defaultTagId], fetched.Data.GetProperty("tags").EnumerateArray().Select(t => t.GetInt32()));

        // testFetch
        var list = await api.GetAsync("filters", "limit=25&page=1");
        list.AssertOk();
        Assert.True(list.Data.GetArrayLength() >= 1);

        // testFetchContents with DEFAULT_FILTER_ID = the stack's "Latest" filter.
        (await api.GetAsync($"filters/{api.LatestFilterId}")).AssertOk();
        var contents = await api.GetAsync($"filters/{api.LatestFilterId}/content", "page=1&limit=25");
        contents.AssertOk();
        Assert.True(contents.Data.GetArrayLength() > 0);
        Assert.All(contents.Data.EnumerateArray(), tile => Assert.Equal(JsonValueKind.Object, tile.ValueKind));

        // testFetchById
        var latest = await api.GetAsync($"filters/{api.LatestFilterId}");
        Assert.Equal(api.LatestFilterId, latest.Data.GetProperty("id").GetInt32());
        Assert.Equal("Latest", latest.Data.GetProperty("name").GetString());

        // testUpdate
        (await api.GetAsync($"filters/{id}")).AssertOk();
        (await api.PutQueryAsync($"filters/{id}", $"name=Test+filter+{U}+-+Edited")).AssertOk();
        var edited = (await api.GetAsync($"filters/{id}")).Data;
        Assert.Equal($"Test filter {U} - Edited", edited.GetProperty("name").GetString());
        Assert.Equal(["image", "text"], edited.GetProperty("media").EnumerateArray().Select(m => m.GetString()!)); // untouched

        // testRemove
        var deleted = await api.DeleteAsync($"filters/{id}");
        deleted.AssertOk();
        Assert.Equal(id, deleted.Data.GetProperty("id").GetInt32());
        (await api.GetAsync($"filters/{id}")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
    }

    [Fact]
    public async Task The_latest_filter_of_a_new_stack_matches_everything_newest_first()
    {
        var api = await factory.NewStackClientAsync();
        var latest = (await api.GetAsync($"filters/{api.LatestFilterId}")).Data;
        Assert.Equal("source_created_at_desc", latest.GetProperty("sort").GetString());
        Assert.Equal(0, latest.GetProperty("networks").GetArrayLength());
        Assert.Equal(0, latest.GetProperty("media").GetArrayLength());
        Assert.Equal(0, latest.GetProperty("tags").GetArrayLength());
        Assert.Equal("no", latest.GetProperty("filter_by_claimed").GetString());
        Assert.Equal(api.StackId, latest.GetProperty("stack_id").GetInt32());
        Assert.Equal([api.LatestFilterId], (await api.GetAsync("filters")).Data.EnumerateArray().Select(f => f.GetProperty("id").GetInt32()));
    }
}
