using System.Net;
using Tessera.Server.Features.Tiles;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Filters;

/// <summary>What <c>GET /api/filters/{id}/content</c> and <c>/summaries</c> return (decisions §2.11).</summary>
[Collection(ApiCollection.Name)]
public sealed class FilterContentTests(TesseraFactory factory)
{
    private const string Image = "image_url=https%3A%2F%2Fcdn.example%2Fa.jpg";
    private const string Video = "video_url=https%3A%2F%2Fcdn.example%2Fa.mp4";
    private const string Html = "html=%3Cp%3Ehi%3C%2Fp%3E";

    [Fact]
    public async Task Networks_restrict_the_source()
    {
        var api = await factory.NewStackClientAsync();
        var twitter = await TileSeeder.SeedAsync(factory, api.StackId, source: "twitter");
        var instagram = await TileSeeder.SeedAsync(factory, api.StackId, source: "instagram", media: "image");
        var posted = await PostAsync(api, "message=m");

        Assert.Equal([posted, instagram], await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&networks%5B0%5D=instagram&networks%5B1%5D=sta_feed")));
        Assert.Equal([twitter], await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&networks=twitter")));
        Assert.Empty(await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&networks=youtube")));
        Assert.Equal([posted, instagram, twitter], await api.ContentIdsAsync(api.LatestFilterId));
    }

    [Fact]
    public async Task Media_restricts_the_kind_of_content()
    {
        var api = await factory.NewStackClientAsync();
        var text = await PostAsync(api, "message=m");
        var image = await PostAsync(api, $"message=m&{Image}");
        var video = await PostAsync(api, $"message=m&{Video}");
        var html = await PostAsync(api, $"message=m&{Html}");

        Assert.Equal([video, image], await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&media%5B0%5D=image&media%5B2%5D=video")));
        Assert.Equal([html, text], await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&media=text,html")));
        Assert.Equal([html, video, image, text], await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&media=")));
    }

    [Fact]
    public async Task Tags_match_any_of_the_filters_tags_and_each_tile_appears_once()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var b = await api.CreateTagAsync("B");
        var c = await api.CreateTagAsync("C");
        var onlyA = await PostAsync(api, $"message=m&tags={a}");
        var onlyB = await PostAsync(api, $"message=m&tags={b}");
        var both = await PostAsync(api, $"message=m&tags={b},{a}");
        await PostAsync(api, $"message=m&tags={c}");
        await PostAsync(api, "message=untagged");

        var anyOf = await api.CreateFilterAsync($"name=F&tags%5B0%5D={a}&tags%5B1%5D={b}");
        Assert.Equal([both, onlyB, onlyA], await api.ContentIdsAsync(anyOf));
        Assert.Equal(3, await QuantityAsync(api, anyOf));

        var justA = await api.CreateFilterAsync($"name=F&tags%5B0%5D={a}");
        Assert.Equal([both, onlyA], await api.ContentIdsAsync(justA));
        Assert.Equal(2, await QuantityAsync(api, justA));

        // Retagging moves tiles in and out at once.
        (await api.PutQueryAsync($"tiles/{onlyA}", $"tags={c}")).AssertOk();
        Assert.Equal([both], await api.ContentIdsAsync(justA));
        Assert.Equal(1, await QuantityAsync(api, justA));
        Assert.Equal(5, await QuantityAsync(api, api.LatestFilterId));
    }

    [Fact]
    public async Task Criteria_combine_with_and()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var imageA = await PostAsync(api, $"message=m&{Image}&tags={a}");
        await PostAsync(api, $"message=m&tags={a}");
        await PostAsync(api, $"message=m&{Image}");
        var twitterImageA = await TileSeeder.SeedAsync(factory, api.StackId, source: "twitter", media: "image", tagIds: [a]);

        // One tag (the tile_tags index path) with tile criteria.
        var oneTag = await api.CreateFilterAsync($"name=F&tags%5B0%5D={a}&media%5B0%5D=image");
        Assert.Equal([twitterImageA, imageA], await api.ContentIdsAsync(oneTag));
        Assert.Equal(2, await QuantityAsync(api, oneTag));

        var withNetwork = await api.CreateFilterAsync($"name=F&tags%5B0%5D={a}&media%5B0%5D=image&networks%5B0%5D=sta_feed");
        Assert.Equal([imageA], await api.ContentIdsAsync(withNetwork));
        Assert.Equal(1, await QuantityAsync(api, withNetwork));

        // The same through the other sorts (the tiles index path).
        foreach (var sort in new[] { "score_desc", "votes", "random" })
        {
            (await api.PutQueryAsync($"filters/{withNetwork}", $"sort={sort}")).AssertOk();
            Assert.Equal([imageA], await api.ContentIdsAsync(withNetwork));
        }
    }

    [Fact]
    public async Task Claimed_only_matches_no_api_post_and_unclaimed_only_matches_all()
    {
        var api = await factory.NewStackClientAsync();
        var first = await PostAsync(api, "message=1");
        var second = await PostAsync(api, $"message=2&{Image}");

        Assert.Empty(await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&filter_by_claimed=claimed_only")));
        Assert.Equal([second, first], await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&filter_by_claimed=unclaimed_only")));
        Assert.Equal([second, first], await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&filter_by_claimed=no")));
    }

    [Fact]
    public async Task Claimed_tiles_are_told_apart()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var claimed = await TileSeeder.SeedAsync(factory, api.StackId, source: "instagram", claimed: true, tagIds: [tag]);
        var unclaimed = await PostAsync(api, $"message=m&tags={tag}");

        Assert.Equal([claimed], await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&filter_by_claimed=claimed_only")));
        Assert.Equal([unclaimed], await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&filter_by_claimed=unclaimed_only")));
        Assert.Equal([claimed], await api.ContentIdsAsync(await api.CreateFilterAsync($"name=F&filter_by_claimed=claimed_only&tags%5B0%5D={tag}")));
        Assert.True((await api.GetAsync($"tiles/{claimed}")).Data.GetProperty("claimed").GetBoolean());
    }

    [Fact]
    public async Task Latest_sorts_by_source_time_newest_first()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var older = await TileSeeder.SeedAsync(factory, api.StackId, sourceCreatedAt: now - 3600, tagIds: [tag]);
        var posted = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            posted.Add(await PostAsync(api, $"message={i}&tags={tag}"));
        }

        var oldest = await TileSeeder.SeedAsync(factory, api.StackId, sourceCreatedAt: now - 7200, tagIds: [tag]);
        var newest = await TileSeeder.SeedAsync(factory, api.StackId, sourceCreatedAt: now + 3600, tagIds: [tag]);
        string[] expected = [newest, .. Enumerable.Reverse(posted), older, oldest];

        Assert.Equal(expected, await api.ContentIdsAsync(api.LatestFilterId));
        Assert.Equal(expected, await api.ContentIdsAsync(await api.CreateFilterAsync($"name=F&sort=source_created_at_desc&tags%5B0%5D={tag}")));
    }

    [Theory]
    [InlineData("score_desc")]
    [InlineData("votes")]
    [InlineData("votes_desc")]
    public async Task Score_and_vote_sorts_answer_with_ties_newest_first(string sort)
    {
        var api = await factory.NewStackClientAsync();
        var posted = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            posted.Add(await PostAsync(api, $"message={i}"));
        }

        var filter = await api.CreateFilterAsync($"name=F&sort={sort}");
        Assert.Equal(Enumerable.Reverse(posted), await api.ContentIdsAsync(filter));
    }

    [Fact]
    public async Task Score_desc_puts_the_highest_score_first()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var low = await TileSeeder.SeedAsync(factory, api.StackId, score: 1.5, tagIds: [tag]);
        var high = await TileSeeder.SeedAsync(factory, api.StackId, score: 9.25, tagIds: [tag]);
        var zero = await PostAsync(api, $"message=m&tags={tag}");
        var mid = await TileSeeder.SeedAsync(factory, api.StackId, score: 3, votes: 100, tagIds: [tag]);

        Assert.Equal([high, mid, low, zero], await api.ContentIdsAsync(await api.CreateFilterAsync("name=F&sort=score_desc")));
        Assert.Equal([high, mid, low, zero], await api.ContentIdsAsync(await api.CreateFilterAsync($"name=F&sort=score_desc&tags%5B0%5D={tag}")));
    }

    [Theory]
    [InlineData("votes")]
    [InlineData("votes_desc")]
    public async Task Vote_sorts_put_the_most_votes_first(string sort)
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var few = await TileSeeder.SeedAsync(factory, api.StackId, votes: 2, tagIds: [tag]);
        var many = await TileSeeder.SeedAsync(factory, api.StackId, votes: 40, score: 0, tagIds: [tag]);
        var none = await PostAsync(api, $"message=m&tags={tag}");
        var some = await TileSeeder.SeedAsync(factory, api.StackId, votes: 7, score: 99, tagIds: [tag]);

        Assert.Equal([many, some, few, none], await api.ContentIdsAsync(await api.CreateFilterAsync($"name=F&sort={sort}")));
        Assert.Equal([many, some, few, none], await api.ContentIdsAsync(await api.CreateFilterAsync($"name=F&sort={sort}&tags%5B0%5D={tag}")));
        Assert.Equal(many, (await api.GetAsync($"tiles/{many}")).Data.GetProperty("id").GetString());
        Assert.Equal(40, (await api.GetAsync($"tiles/{many}")).Data.GetProperty("numVotes").GetInt32());
    }

    [Fact]
    public async Task Random_returns_every_tile_exactly_once_across_pages()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var all = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            all.Add(await PostAsync(api, $"message={i}&tags={tag}"));
        }

        foreach (var filter in new[] { await api.CreateFilterAsync("name=F&sort=random"), await api.CreateFilterAsync($"name=F&sort=random&tags%5B0%5D={tag}") })
        {
            var seen = new List<string>();
            for (var page = 1; page <= 3; page++)
            {
                var ids = await api.ContentIdsAsync(filter, $"page={page}&limit=5");
                Assert.Equal(page < 3 ? 5 : 2, ids.Length);
                seen.AddRange(ids);
            }

            Assert.Empty(await api.ContentIdsAsync(filter, "page=4&limit=5"));
            Assert.Equal(all.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
            Assert.Equal(12, await QuantityAsync(api, filter));
        }
    }

    [Fact]
    public async Task Pages_split_the_content_without_overlap_or_gaps()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        for (var i = 0; i < 7; i++)
        {
            await PostAsync(api, $"message={i}&tags={tag}");
        }

        foreach (var filter in new[] { api.LatestFilterId, await api.CreateFilterAsync($"name=F&tags%5B0%5D={tag}"), await api.CreateFilterAsync("name=F&sort=score_desc") })
        {
            var whole = await api.ContentIdsAsync(filter, "limit=100");
            Assert.Equal(7, whole.Length);
            var pages = new List<string>();
            for (var page = 1; page <= 3; page++)
            {
                pages.AddRange(await api.ContentIdsAsync(filter, $"page={page}&limit=3"));
            }

            Assert.Equal(whole, pages);
            Assert.Empty(await api.ContentIdsAsync(filter, "page=4&limit=3"));
            Assert.Equal(whole, await api.ContentIdsAsync(filter, "page=&limit="));
        }
    }

    [Fact]
    public async Task The_default_page_is_25_tiles()
    {
        var api = await factory.NewStackClientAsync();
        for (var i = 0; i < 27; i++)
        {
            await PostAsync(api, $"message={i}");
        }

        Assert.Equal(25, (await api.ContentIdsAsync(api.LatestFilterId)).Length);
        Assert.Equal(2, (await api.ContentIdsAsync(api.LatestFilterId, "page=2")).Length);
        Assert.Equal(27, await QuantityAsync(api, api.LatestFilterId));
    }

    [Fact]
    public async Task Status_selects_queued_or_disabled_content()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var published = await PostAsync(api, $"message=p&tags={tag}");
        var queued = await PostAsync(api, $"message=q&status=queued&tags={tag}");
        var disabled = await PostAsync(api, $"message=d&tags={tag}");
        (await api.DeleteAsync($"tiles/{disabled}")).AssertOk();

        foreach (var filter in new[] { api.LatestFilterId, await api.CreateFilterAsync($"name=F&tags%5B0%5D={tag}") })
        {
            Assert.Equal([published], await api.ContentIdsAsync(filter));
            Assert.Equal([published], await api.ContentIdsAsync(filter, "status=published"));
            Assert.Equal([queued], await api.ContentIdsAsync(filter, "status=queued"));
            Assert.Equal([queued], await api.ContentIdsAsync(filter, "status=queue"));
            Assert.Equal([disabled], await api.ContentIdsAsync(filter, "status=disabled"));
            Assert.Equal(1, await QuantityAsync(api, filter, "status=queued"));
        }

        var content = await api.GetAsync($"filters/{api.LatestFilterId}/content", "status=queued");
        Assert.Equal("queued", content.Data[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Since_id_returns_only_newer_tiles()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await PostAsync(api, $"message={i}&tags={tag}"));
        }

        foreach (var filter in new[] { api.LatestFilterId, await api.CreateFilterAsync($"name=F&tags%5B0%5D={tag}") })
        {
            Assert.Equal([ids[4], ids[3]], await api.ContentIdsAsync(filter, $"since_id={ids[2]}"));
            Assert.Empty(await api.ContentIdsAsync(filter, $"since_id={ids[4]}"));
            Assert.Equal(Enumerable.Reverse(ids).Take(4), await api.ContentIdsAsync(filter, $"since_id={ids[0]}"));
            Assert.Equal(2, await QuantityAsync(api, filter, $"since_id={ids[2]}"));
            Assert.Equal(5, (await api.ContentIdsAsync(filter, "since_id=")).Length);
        }

        // A disabled tile is still a valid point to read from.
        (await api.DeleteAsync($"tiles/{ids[3]}")).AssertOk();
        Assert.Equal([ids[4]], await api.ContentIdsAsync(api.LatestFilterId, $"since_id={ids[3]}"));
    }

    [Theory]
    [InlineData("0123456789abcdef01234567")]
    [InlineData("not-a-tile-id")]
    [InlineData("guid:abc")]
    [InlineData("0123456789abcdef0123456789")]
    public async Task An_unknown_since_id_is_400(string sinceId)
    {
        var api = await factory.NewStackClientAsync();
        await PostAsync(api, "message=m");
        var response = await api.GetAsync($"filters/{api.LatestFilterId}/content", $"since_id={sinceId}");
        response.AssertError(HttpStatusCode.BadRequest, 1030400);
        Assert.StartsWith("since_id", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        (await api.GetAsync($"filters/{api.LatestFilterId}/summaries", $"since_id={sinceId}")).AssertError(HttpStatusCode.BadRequest, 1030400);
    }

    [Fact]
    public async Task Summaries_give_the_quantity_in_data_0()
    {
        var api = await factory.NewStackClientAsync();
        var empty = await api.GetAsync($"filters/{api.LatestFilterId}/summaries");
        empty.AssertOk();
        Assert.Equal(0, empty.Data[0].GetProperty("quantity").GetInt64());

        for (var i = 0; i < 3; i++)
        {
            await PostAsync(api, $"message={i}");
        }

        await PostAsync(api, "message=q&status=queued");
        await TileSeeder.SeedAsync(factory, api.StackId, source: "twitter", status: TileStatus.Disabled);
        Assert.Equal(3, await QuantityAsync(api, api.LatestFilterId));
        Assert.Equal(3, await QuantityAsync(api, api.LatestFilterId, "aggregated_by=default"));
        Assert.Equal(1, await QuantityAsync(api, api.LatestFilterId, "status=queued"));
        Assert.Equal(1, await QuantityAsync(api, api.LatestFilterId, "status=disabled"));
        Assert.Equal(0, await QuantityAsync(api, await api.CreateFilterAsync("name=F&networks=twitter")));
        Assert.Equal(1, await QuantityAsync(api, await api.CreateFilterAsync("name=F&networks=twitter"), "status=disabled"));
    }

    [Fact]
    public async Task Content_returns_full_tile_objects()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var tile = await api.CreateTileAsync($"message=hello&{Image}&tags={tag}");
        var content = await api.GetAsync($"filters/{api.LatestFilterId}/content");
        content.AssertOk();
        Assert.Equal(tile.GetRawText(), content.Data[0].GetRawText());
    }

    private static async Task<string> PostAsync(ApiClient api, string form) =>
        (await api.CreateTileAsync(form)).GetProperty("id").GetString()!;

    private static async Task<long> QuantityAsync(ApiClient api, int filterId, string? query = null)
    {
        var response = await api.GetAsync($"filters/{filterId}/summaries", query);
        response.AssertOk();
        return response.Data[0].GetProperty("quantity").GetInt64();
    }
}
