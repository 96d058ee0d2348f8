using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tessera.Server.Features.Collectors;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Collectors;

/// <summary>RSS/Atom terms polled from a feed served by a local HTTP server (127.0.0.1 allow-listed).</summary>
[Collection(ApiCollection.Name)]
public sealed class FeedCollectorTests(TesseraFactory factory) : IAsyncLifetime
{
    private const int Interval = 600;
    private static readonly CollectorOptions Options = new() { PollIntervalSeconds = Interval, MaxBackoffSeconds = 100 * Interval };
    private readonly FeedServer _feed = new();

    public Task InitializeAsync() => _feed.StartAsync();

    public Task DisposeAsync() => _feed.StopAsync();

    [Fact]
    public async Task Polling_a_feed_twice_ingests_each_item_once_with_the_terms_moderation_and_tags()
    {
        var (api, poller, _) = await ArrangeAsync();
        var tagId = await api.CreateTagAsync("From the blog");
        _feed.Items = [Item("a", "First post", "<p>Hello <b>world</b></p>", "https://img.example/a.jpg"), Item("b", "Second post", "Plain text", null)];
        var termId = await CreateFeedTermAsync(api, $"&moderate_image=queue&tags%5B0%5D={tagId}");

        Assert.Equal(2, await poller.PollAsync(termId, CancellationToken.None));
        _feed.Items = [.. _feed.Items, Item("c", "Third post", "More", null)];
        Assert.Equal(1, await poller.PollAsync(termId, CancellationToken.None));
        Assert.Equal(0, await poller.PollAsync(termId, CancellationToken.None));

        var published = await ContentAsync(api, "published");
        Assert.Equal(["Third post", "Second post"], published.Select(t => t.GetProperty("title").GetString()));
        var second = published[1];
        Assert.Equal("rss", second.GetProperty("source").GetString());
        Assert.Equal("text", second.GetProperty("media").GetString());
        Assert.Equal("https://blog.example/b", second.GetProperty("original_url").GetString());
        Assert.Equal([tagId.ToString(System.Globalization.CultureInfo.InvariantCulture)], second.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(termId, second.GetProperty("term_id").GetInt32());

        // The image item follows moderate_image=queue; its HTML is reduced to text in message.
        var queued = Assert.Single(await ContentAsync(api, "queued"));
        Assert.Equal("image", queued.GetProperty("media").GetString());
        Assert.Equal("Hello world", queued.GetProperty("message").GetString());
        Assert.Equal("https://img.example/a.jpg", queued.GetProperty("image_url").GetString());

        var term = (await api.GetAsync($"terms/{termId}")).Data;
        Assert.True(term.GetProperty("last_ingestion_post").GetInt64() > 0);
        Assert.Equal("active", term.GetProperty("ingestion_status").GetString());
    }

    [Fact]
    public async Task A_failing_feed_records_its_error_and_backs_off_until_it_recovers()
    {
        var (api, poller, clock) = await ArrangeAsync();
        _feed.Status = HttpStatusCode.InternalServerError;
        var termId = await CreateFeedTermAsync(api);

        // Other tests' feed terms share the database, so this test counts its own feed's hits.
        await poller.PollDueAsync(CancellationToken.None);
        Assert.Equal(1, _feed.Hits);
        var failing = (await api.GetAsync($"terms/{termId}")).Data;
        Assert.Equal("failing", failing.GetProperty("ingestion_status").GetString());
        Assert.Contains("500", failing.GetProperty("last_error").GetString(), StringComparison.Ordinal);

        // One failure doubles the wait: not due after one interval, due after two.
        clock.Advance(TimeSpan.FromSeconds(Interval + 1));
        await poller.PollDueAsync(CancellationToken.None);
        Assert.Equal(1, _feed.Hits);
        clock.Advance(TimeSpan.FromSeconds(Interval));
        await poller.PollDueAsync(CancellationToken.None);
        Assert.Equal(2, _feed.Hits);
        Assert.Equal(4 * Interval, poller.BackoffSeconds(2));

        _feed.Status = HttpStatusCode.OK;
        _feed.Items = [Item("a", "Back again", "ok", null)];
        clock.Advance(TimeSpan.FromSeconds(4 * Interval));
        await poller.PollDueAsync(CancellationToken.None);
        Assert.Equal(3, _feed.Hits);
        var healthy = (await api.GetAsync($"terms/{termId}")).Data;
        Assert.Equal("active", healthy.GetProperty("ingestion_status").GetString());
        Assert.Equal(JsonValueKind.Null, healthy.GetProperty("last_error").ValueKind);
        Assert.Single(await ContentAsync(api, "published"));
    }

    [Fact]
    public async Task A_feed_that_is_not_xml_is_an_error_on_the_term_not_a_crash()
    {
        var (api, poller, _) = await ArrangeAsync();
        _feed.Raw = "<html><body>not a feed</body></html>";
        var termId = await CreateFeedTermAsync(api);

        Assert.Equal(0, await poller.PollAsync(termId, CancellationToken.None));
        Assert.Equal("failing", (await api.GetAsync($"terms/{termId}")).Data.GetProperty("ingestion_status").GetString());
    }

    [Fact]
    public async Task A_feed_on_a_private_address_is_refused_without_an_allow_list()
    {
        var api = await factory.NewStackClientAsync();
        var poller = FeedServer.NewPoller(factory.Services, new FakeTimeProvider(DateTimeOffset.UtcNow), allowLoopback: false, Options);
        _feed.Items = [Item("a", "Secret", "internal", null)];
        var termId = await CreateFeedTermAsync(api, url: _feed.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));

        Assert.Equal(0, await poller.PollAsync(termId, CancellationToken.None));
        Assert.Equal(0, _feed.Hits);
        var error = (await api.GetAsync($"terms/{termId}")).Data.GetProperty("last_error").GetString()!;
        Assert.Contains("localhost", error, StringComparison.Ordinal);
        // The address the name resolved to is the deployment's business, not the stack's.
        Assert.DoesNotContain("127.0.0.1", error, StringComparison.Ordinal);
        Assert.DoesNotContain("::1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feed_that_sends_its_headers_and_then_stalls_times_out_and_is_recorded()
    {
        var api = await factory.NewStackClientAsync();
        var poller = FeedServer.NewPoller(factory.Services, new FakeTimeProvider(DateTimeOffset.UtcNow), allowLoopback: true, Options, timeoutSeconds: 1);
        _feed.StallSeconds = 10;
        var termId = await CreateFeedTermAsync(api);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await poller.PollAsync(termId, CancellationToken.None));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"the poll took {watch.Elapsed}");
        var term = (await api.GetAsync($"terms/{termId}")).Data;
        Assert.Equal("failing", term.GetProperty("ingestion_status").GetString());
        Assert.Contains("within 1 s", term.GetProperty("last_error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_posted_tile_with_a_feed_items_guid_does_not_block_the_feed()
    {
        var (api, poller, _) = await ArrangeAsync();
        _feed.Items = [Item("a", "Taken", "x", null), Item("b", "Free", "y", null)];
        var termId = await CreateFeedTermAsync(api);
        (await api.PostTileAsync("message=first&guid=rss%3Apost-a", api.PostTermId)).AssertOk();

        Assert.Equal(1, await poller.PollAsync(termId, CancellationToken.None));
        Assert.Equal("active", (await api.GetAsync($"terms/{termId}")).Data.GetProperty("ingestion_status").GetString());
    }

    [Fact]
    public async Task A_feed_term_cannot_lose_its_url()
    {
        var api = await factory.NewStackClientAsync();
        var termId = await CreateFeedTermAsync(api);

        (await api.PutQueryAsync($"terms/{termId}", "term=")).AssertError(HttpStatusCode.BadRequest, 1080400);
    }

    [Fact]
    public async Task The_background_worker_collects_new_terms_without_being_asked()
    {
        await using var server = factory.With(
            ("Tessera:Collectors:Enabled", "true"), ("Tessera:Collectors:TickSeconds", "1"), ("Tessera:Outbound:AllowedHosts:0", "127.0.0.1"));
        var stack = await factory.CreateStackAsync();
        var api = new ApiClient(server.CreateClient(), stack.Stack, stack.AccessToken, stack.StackId);
        _feed.Items = [Item("a", "Collected", "by the worker", null)];
        await CreateFeedTermAsync(api);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await ContentAsync(api, "published")).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the worker did not collect the feed within 20 s");
            await Task.Delay(200);
        }
    }

    private async Task<(ApiClient Api, FeedPoller Poller, FakeTimeProvider Clock)> ArrangeAsync()
    {
        var api = await factory.NewStackClientAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return (api, FeedServer.NewPoller(factory.Services, clock, allowLoopback: true, Options), clock);
    }

    private async Task<int> CreateFeedTermAsync(ApiClient api, string extra = "", string? url = null)
    {
        var created = await api.PostFormAsync("terms", $"name=Blog&network=rss&type=page&term={Uri.EscapeDataString(url ?? _feed.Url)}{extra}");
        created.AssertOk();
        return created.Data.GetProperty("id").GetInt32();
    }

    private static async Task<List<JsonElement>> ContentAsync(ApiClient api, string status)
    {
        var stack = (await api.GetAsync("filters", "limit=1")).Data[0].GetProperty("id").GetInt32();
        var content = await api.GetAsync($"filters/{stack}/content", $"status={status}&limit=100");
        content.AssertOk();
        return [.. content.Data.EnumerateArray()];
    }

    private static string Item(string id, string title, string description, string? image) =>
        $"<item><guid isPermaLink=\"false\">post-{id}</guid><title>{title}</title><link>https://blog.example/{id}</link>"
        + $"<description>{WebUtility.HtmlEncode(description)}</description><pubDate>Mon, 02 Nov 2026 10:0{id[0] - 'a'}:00 GMT</pubDate>"
        + (image is null ? string.Empty : $"<enclosure url=\"{image}\" type=\"image/jpeg\" length=\"1000\"/>")
        + "</item>";
}
