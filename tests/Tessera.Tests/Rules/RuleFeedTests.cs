using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Features.Collectors;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Rules;

/// <summary>Rules run on tiles collected from RSS feeds too, before they are stored.</summary>
[Collection(ApiCollection.Name)]
public sealed class RuleFeedTests(TesseraFactory factory) : IAsyncLifetime
{
    private const string Feed = """
        <?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title><link>https://blog.example/</link>
        <item><guid isPermaLink="false">rule-a</guid><title>Beach day</title><link>https://blog.example/a</link><description>At the beach</description></item>
        <item><guid isPermaLink="false">rule-b</guid><title>Office</title><link>https://blog.example/b</link><description>At work</description></item>
        </channel></rss>
        """;

    private readonly FeedServer _feed = new() { Raw = Feed };

    public Task InitializeAsync() => _feed.StartAsync();

    public Task DisposeAsync() => _feed.StopAsync();

    [Fact]
    public async Task A_feed_item_that_matches_a_rule_is_stored_with_its_effects()
    {
        var api = await factory.NewStackClientAsync();
        var beach = await api.CreateTagAsync("Beach");
        var ruleId = await api.CreateRuleAsync("""{"source": "rss", "message": {"$regex": "beach", "$options": "i"}}""",
            $$"""[{"type": "$addToSet", "field": "tags", "value": [{{beach}}]}, {"type": "$set", "field": "status", "value": "queued"}]""");
        var termId = await api.CreateTermAsync($"name=Blog&network=rss&type=page&term={Uri.EscapeDataString(_feed.Url)}");

        Assert.Equal(2, await NewPoller().PollAsync(termId, CancellationToken.None));

        var published = Assert.Single((await api.GetAsync($"filters/{api.LatestFilterId}/content")).Data.EnumerateArray());
        Assert.Equal("Office", published.GetProperty("title").GetString());
        Assert.Equal(0, published.GetProperty("rules").GetArrayLength());
        var queued = Assert.Single((await api.GetAsync($"filters/{api.LatestFilterId}/content", "status=queued")).Data.EnumerateArray());
        Assert.Equal("Beach day", queued.GetProperty("title").GetString());
        Assert.Equal([beach.ToString(System.Globalization.CultureInfo.InvariantCulture)], queued.GetProperty("tags").Strings());
        Assert.Equal([ruleId], queued.GetProperty("rules").Ints());
    }

    [Fact]
    public async Task A_feed_items_default_tags_are_in_the_document_its_triggers_read()
    {
        var api = await factory.NewStackClientAsync();
        var blog = await api.CreateTagAsync("Blog");
        var ruleId = await api.CreateRuleAsync("""{"tags_extended.tag": "Blog"}""", """[{"type": "$set", "field": "stackla_sentiment_score", "value": 0.5}]""");
        var termId = await api.CreateTermAsync($"name=Blog&network=rss&type=page&term={Uri.EscapeDataString(_feed.Url)}&tags%5B0%5D={blog}");

        Assert.Equal(2, await NewPoller().PollAsync(termId, CancellationToken.None));

        var tiles = (await api.GetAsync($"filters/{api.LatestFilterId}/content")).Data.EnumerateArray().ToList();
        Assert.Equal(2, tiles.Count);
        Assert.All(tiles, tile =>
        {
            Assert.Equal([ruleId], tile.GetProperty("rules").Ints());
            Assert.Equal(0.5, tile.GetProperty("stackla_sentiment_score").GetDouble());
        });
    }

    private FeedPoller NewPoller() => FeedServer.NewPoller(factory.Services, TimeProvider.System, allowLoopback: true);
}
