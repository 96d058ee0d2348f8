using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tessera.Tests.Infrastructure;
using static Tessera.Tests.ContentApi.PublicContent;

namespace Tessera.Tests.ContentApi;

/// <summary>
/// Content API pages are cached per plugin and query (3 minutes basic, 6 complex) and carry an ETag
/// and CDN caching headers (decisions §4); but any change to what they show is seen by the very next
/// request. Each invalidation test fills the cache first, changes something through the API, and
/// sends the old ETag with the next request: it must get the new page (200, a new ETag), not a 304.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ContentApiCachingTests(TesseraFactory factory)
{
    [Fact]
    public async Task Every_page_has_an_etag_that_if_none_match_answers_with_304_and_no_body()
    {
        var api = await factory.NewStackClientAsync();
        await PostAsync(api, "message=m");

        var first = await api.PublicContentAsync();
        first.AssertOk();
        var etag = ETagOf(first);
        Assert.Matches("^\"[A-Za-z0-9_-]+\"$", etag);

        var notModified = await api.PublicContentAsync(configure: Header("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.NotModified, notModified.Status);
        Assert.Empty(notModified.Body);
        Assert.Equal(etag, ETagOf(notModified));
        Assert.Equal("public, max-age=180", HeaderOf(notModified, "Cache-Control"));

        Assert.Equal(HttpStatusCode.NotModified, (await api.PublicContentAsync(configure: Header("If-None-Match", "W/" + etag))).Status);
        Assert.Equal(HttpStatusCode.NotModified, (await api.PublicContentAsync(configure: Header("If-None-Match", $"\"other\", {etag}"))).Status);
        var other = await api.PublicContentAsync(configure: Header("If-None-Match", "\"other\""));
        Assert.Equal(first.Body, other.Body);
    }

    [Fact]
    public async Task Each_query_has_its_own_page_and_etag()
    {
        var api = await factory.NewStackClientAsync();
        await PostAsync(api, "message=one");
        await PostAsync(api, "message=two");

        var both = await api.PublicContentAsync();
        var one = await api.PublicContentAsync("limit=1");
        Assert.Equal(2, both.Data.GetArrayLength());
        Assert.Equal(1, one.Data.GetArrayLength());
        Assert.NotEqual(ETagOf(both), ETagOf(one));
        Assert.Equal(HttpStatusCode.OK, (await api.PublicContentAsync("limit=1", Header("If-None-Match", ETagOf(both)))).Status);
        Assert.Equal(ETagOf(both), ETagOf(await api.PublicContentAsync()));
    }

    [Fact]
    public async Task Basic_pages_are_cacheable_for_three_minutes_and_complex_ones_for_six()
    {
        var api = await factory.NewStackClientAsync();
        var other = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var product = await api.PostFormAsync("tags", "tag=P&type=product&publicly_visible=1&brand=Acme&categories=Shoes");
        product.AssertOk();
        await PostAsync(api, $"message=m&tags={tag},{product.Data.GetProperty("id").GetInt32()}");

        foreach (var basic in new[] { string.Empty, "limit=3&page=2", $"filter_id={await other.CreateFilterAsync("name=Theirs")}", "tags=abc" })
        {
            Assert.Equal("public, max-age=180", HeaderOf(await api.PublicContentAsync(basic), "Cache-Control"));
        }

        foreach (var complex in new[] { $"tags={tag}", $"filter_id={api.LatestFilterId}", "brands=acme", "categories=shoes", "tags=ext:none" })
        {
            Assert.Equal("public, max-age=360", HeaderOf(await api.PublicContentAsync(complex), "Cache-Control"));
        }
    }

    [Fact]
    public async Task Publishing_a_queued_tile_is_seen_on_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        var published = await PostAsync(api, "message=published");
        var queued = await PostAsync(api, "message=queued&status=queued");
        var before = await FillCacheAsync(api);
        Assert.Equal([published], Ids(before));

        (await api.PutQueryAsync($"tiles/{queued}", "status=published")).AssertOk();

        Assert.Equal([queued, published], Ids(await NextAsync(api, before)));
    }

    [Fact]
    public async Task Queueing_a_published_tile_is_seen_on_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        var kept = await PostAsync(api, "message=kept");
        var queued = await PostAsync(api, "message=to+queue");
        var before = await FillCacheAsync(api);
        Assert.Equal([queued, kept], Ids(before));

        (await api.PutQueryAsync($"tiles/{queued}", "status=queued")).AssertOk();

        Assert.Equal([kept], Ids(await NextAsync(api, before)));
    }

    [Fact]
    public async Task Disabling_a_tile_is_seen_on_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        var kept = await PostAsync(api, "message=kept");
        var deleted = await PostAsync(api, "message=to+delete");
        var tag = await api.CreateTagAsync("T");
        (await api.PutQueryAsync($"tiles/{deleted}", $"tags={tag}")).AssertOk();
        var before = await FillCacheAsync(api);
        var beforeTagged = await FillCacheAsync(api, $"tags={tag}");
        Assert.Equal([deleted, kept], Ids(before));

        (await api.DeleteAsync($"tiles/{deleted}")).AssertOk();

        Assert.Equal([kept], Ids(await NextAsync(api, before)));
        Assert.Empty(Ids(await NextAsync(api, beforeTagged, $"tags={tag}")));
    }

    [Fact]
    public async Task Retagging_a_tile_is_seen_on_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var b = await api.CreateTagAsync("B");
        var tile = await PostAsync(api, $"message=m&tags={a}");
        var all = await FillCacheAsync(api);
        var byA = await FillCacheAsync(api, $"tags={a}");
        var byB = await FillCacheAsync(api, $"tags={b}");
        Assert.Equal([tile], Ids(byA));
        Assert.Empty(Ids(byB));

        (await api.PutQueryAsync($"tiles/{tile}", $"tags={b}")).AssertOk();

        Assert.Empty(Ids(await NextAsync(api, byA, $"tags={a}")));
        Assert.Equal([tile], Ids(await NextAsync(api, byB, $"tags={b}")));
        var after = await NextAsync(api, all);
        Assert.Equal(["B"], after.Data[0].GetProperty("tags_extended").EnumerateArray().Select(t => t.GetProperty("tag").GetString()));
    }

    [Fact]
    public async Task Editing_a_tile_is_seen_on_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        var tile = await PostAsync(api, "message=before&title=Old");
        var before = await FillCacheAsync(api);
        Assert.Equal("before", before.Data[0].GetProperty("message").GetString());

        (await api.PutQueryAsync($"tiles/{tile}", "message=after&title=New")).AssertOk();

        var after = await NextAsync(api, before);
        Assert.Equal("after", after.Data[0].GetProperty("message").GetString());
        Assert.Equal("New", after.Data[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task Editing_a_tag_is_seen_on_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("Old name");
        await PostAsync(api, $"message=m&tags={tag}");
        var before = await FillCacheAsync(api);
        Assert.Equal("Old name", TagNames(before).Single());

        (await api.PutQueryAsync($"tags/{tag}", "tag=New+name")).AssertOk();
        var renamed = await NextAsync(api, before);
        Assert.Equal("New name", TagNames(renamed).Single());
        await FillCacheAsync(api);

        (await api.PutQueryAsync($"tags/{tag}", "publicly_visible=0")).AssertOk();
        var hidden = await NextAsync(api, renamed);
        Assert.Empty(TagNames(hidden));
        Assert.Equal(0, hidden.Data[0].GetProperty("tags").GetArrayLength());
    }

    [Fact]
    public async Task Adding_an_ext_product_id_to_a_tag_is_seen_on_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("Product");
        var tile = await PostAsync(api, $"message=m&tags={tag}");
        var before = await FillCacheAsync(api, "tags=ext:SKU-9");
        Assert.Empty(Ids(before));

        (await api.PutQueryAsync($"tags/{tag}", "ext_product_id=SKU-9")).AssertOk();

        Assert.Equal([tile], Ids(await NextAsync(api, before, "tags=ext:SKU-9")));
    }

    [Fact]
    public async Task Deleting_a_tag_is_seen_on_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("Doomed");
        var tile = await PostAsync(api, $"message=m&tags={tag}");
        var all = await FillCacheAsync(api);
        var byTag = await FillCacheAsync(api, $"tags={tag}");
        Assert.Equal(["Doomed"], TagNames(all));
        Assert.Equal([tile], Ids(byTag));

        (await api.DeleteAsync($"tags/{tag}")).AssertOk();

        Assert.Empty(TagNames(await NextAsync(api, all)));
        Assert.Empty(Ids(await NextAsync(api, byTag, $"tags={tag}")));
    }

    [Fact]
    public async Task Editing_the_plugins_filter_is_seen_on_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var b = await api.CreateTagAsync("B");
        var tileA = await PostAsync(api, $"message=a&tags={a}");
        var tileB = await PostAsync(api, $"message=b&tags={b}");
        var twitterB = await TileSeeder.SeedAsync(factory, api.StackId, source: "twitter", sourceCreatedAt: 1_000, tagIds: [b]);
        var filter = await api.CreateFilterAsync($"name=F&tags={a}");
        (await api.PutQueryAsync("contentapi", $"filter_id={filter}")).AssertOk();
        var byPlugin = await FillCacheAsync(api);
        var byFilterId = await FillCacheAsync(api, $"filter_id={filter}");
        Assert.Equal([tileA], Ids(byPlugin));

        (await api.PutQueryAsync($"filters/{filter}", $"tags={b}")).AssertOk();
        var retagged = await NextAsync(api, byPlugin);
        Assert.Equal([tileB, twitterB], Ids(retagged));
        Assert.Equal([tileB, twitterB], Ids(await NextAsync(api, byFilterId, $"filter_id={filter}")));

        (await api.PutQueryAsync($"filters/{filter}", "networks=twitter")).AssertOk();
        Assert.Equal([twitterB], Ids(await NextAsync(api, retagged)));
    }

    [Fact]
    public async Task Changing_the_plugins_filter_is_seen_on_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var tagged = await PostAsync(api, $"message=a&tags={tag}");
        var untagged = await PostAsync(api, "message=b");
        var before = await FillCacheAsync(api);
        Assert.Equal([untagged, tagged], Ids(before));

        (await api.PutQueryAsync("contentapi", $"filter_id={await api.CreateFilterAsync($"name=F&tags={tag}")}")).AssertOk();
        var narrowed = await NextAsync(api, before);
        Assert.Equal([tagged], Ids(narrowed));

        (await api.PutQueryAsync("contentapi", "filter_id=")).AssertOk();
        Assert.Equal([untagged, tagged], Ids(await NextAsync(api, narrowed)));
    }

    [Fact]
    public async Task Posting_a_tile_is_seen_on_the_next_request()
    {
        var api = await factory.NewStackClientAsync();
        var first = await PostAsync(api, "message=first");
        var before = await FillCacheAsync(api);
        Assert.Equal([first], Ids(before));

        var second = await PostAsync(api, "message=second");

        Assert.Equal([second, first], Ids(await NextAsync(api, before)));
    }

    [Fact]
    public async Task A_change_in_another_stack_leaves_the_page_alone()
    {
        var api = await factory.NewStackClientAsync();
        var other = await factory.NewStackClientAsync();
        var tile = await PostAsync(api, "message=mine");
        var before = await FillCacheAsync(api);

        await PostAsync(other, "message=theirs");

        var after = await api.PublicContentAsync(configure: Header("If-None-Match", ETagOf(before)));
        Assert.Equal(HttpStatusCode.NotModified, after.Status);
        Assert.Equal([tile], await api.PublicIdsAsync());
    }

    [Fact]
    public async Task A_cached_page_is_served_until_it_expires_when_no_change_is_announced()
    {
        // A server of its own with a clock the test moves; the tiles below are written by the shared
        // server, so this one hears of no change and can only notice it once its pages expire.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var stack = await factory.CreateStackAsync();
        var api = new ApiClient(server.CreateClient(), stack.Stack, stack.AccessToken, stack.StackId) { ContentApiPluginId = stack.ContentApiPluginId };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var old = await TileSeeder.SeedAsync(factory, stack.StackId, sourceCreatedAt: now - 60);
        var basic = await api.PublicContentAsync();
        var complex = await api.PublicContentAsync($"filter_id={stack.LatestFilterId}");
        Assert.Equal([old], Ids(basic));
        Assert.Equal([old], Ids(complex));

        var added = await TileSeeder.SeedAsync(factory, stack.StackId, sourceCreatedAt: now);
        clock.Advance(TimeSpan.FromSeconds(179));
        Assert.Equal([old], await api.PublicIdsAsync());
        Assert.Equal(HttpStatusCode.NotModified, (await api.PublicContentAsync(configure: Header("If-None-Match", ETagOf(basic)))).Status);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([added, old], await api.PublicIdsAsync());
        Assert.Equal([old], await api.PublicIdsAsync($"filter_id={stack.LatestFilterId}"));

        clock.Advance(TimeSpan.FromSeconds(180));
        Assert.Equal([added, old], await api.PublicIdsAsync($"filter_id={stack.LatestFilterId}"));
    }

    /// <summary>Requests a page twice: the second answer must be the cached first (same ETag, 304 to it).</summary>
    private static async Task<ApiResponse> FillCacheAsync(ApiClient api, string? query = null)
    {
        var first = await api.PublicContentAsync(query);
        first.AssertOk();
        var again = await api.PublicContentAsync(query, Header("If-None-Match", ETagOf(first)));
        Assert.Equal(HttpStatusCode.NotModified, again.Status);
        return first;
    }

    /// <summary>The next request after a change, sent with the ETag of the page before it: it must be a new page.</summary>
    private static async Task<ApiResponse> NextAsync(ApiClient api, ApiResponse before, string? query = null)
    {
        var after = await api.PublicContentAsync(query, Header("If-None-Match", ETagOf(before)));
        Assert.True(after.Status == HttpStatusCode.OK, $"expected the changed page, got {(int)after.Status}");
        after.AssertOk();
        Assert.NotEqual(ETagOf(before), ETagOf(after));
        Assert.NotEqual(before.Body, after.Body);
        return after;
    }

    private static IEnumerable<string> TagNames(ApiResponse response) =>
        response.Data.EnumerateArray().SelectMany(t => t.GetProperty("tags_extended").EnumerateArray()).Select(t => t.GetProperty("tag").GetString()!);

    private static async Task<string> PostAsync(ApiClient api, string form) =>
        (await api.CreateTileAsync(form)).GetProperty("id").GetString()!;
}
