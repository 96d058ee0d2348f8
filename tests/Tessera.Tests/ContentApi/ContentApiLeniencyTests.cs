using Tessera.Tests.Infrastructure;
using static Tessera.Tests.ContentApi.PublicContent;

namespace Tessera.Tests.ContentApi;

/// <summary>
/// The Content API never answers a bad parameter with a 400 (decisions §4): unknown or malformed
/// parameters are ignored and out-of-range numbers fall back to the range minimum. Basic requests take
/// limit 1–50 (default 50), complex ones (filter, tags, brands, categories) limit 1–100; page 1–999.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ContentApiLeniencyTests(TesseraFactory factory)
{
    [Fact]
    public async Task Limit_and_page_select_a_window_of_the_newest_first_order()
    {
        var api = await factory.NewStackClientAsync();
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 10);

        Assert.Equal(tiles[3..6], await api.PublicIdsAsync("limit=3&page=2"));
        Assert.Equal(tiles[9..], await api.PublicIdsAsync("limit=3&page=4"));
        Assert.Empty(await api.PublicIdsAsync("limit=3&page=5"));
    }

    [Fact]
    public async Task Without_parameters_a_page_is_the_50_newest_tiles()
    {
        var api = await factory.NewStackClientAsync();
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 52);

        Assert.Equal(tiles[..50], await api.PublicIdsAsync());
        Assert.Equal(tiles[50..], await api.PublicIdsAsync("page=2"));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=-5")]
    [InlineData("limit=99999999999")]
    [InlineData("limit=-99999999999")]
    public async Task A_limit_below_or_far_beyond_the_range_falls_back_to_one(string query)
    {
        var api = await factory.NewStackClientAsync();
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 4);

        Assert.Equal(tiles[..1], await api.PublicIdsAsync(query));
        Assert.Equal(tiles[1..2], await api.PublicIdsAsync(query + "&page=2"));
    }

    [Fact]
    public async Task A_limit_above_50_falls_back_to_one_on_a_basic_request()
    {
        var api = await factory.NewStackClientAsync();
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 52);

        Assert.Equal(tiles[..50], await api.PublicIdsAsync("limit=50"));
        Assert.Equal(tiles[..1], await api.PublicIdsAsync("limit=51"));
    }

    [Fact]
    public async Task A_complex_request_takes_up_to_100_tiles_and_falls_back_to_one_above()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("Everything");
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 101, tag);

        Assert.Equal(tiles[..51], await api.PublicIdsAsync($"limit=51&tags={tag}"));
        Assert.Equal(tiles[..100], await api.PublicIdsAsync($"limit=100&tags={tag}"));
        Assert.Equal(tiles[..1], await api.PublicIdsAsync($"limit=101&tags={tag}"));
        Assert.Equal(tiles[100..], await api.PublicIdsAsync($"limit=100&page=2&tags={tag}"));
        // The default stays 50 on complex requests.
        Assert.Equal(tiles[..50], await api.PublicIdsAsync($"tags={tag}"));
    }

    [Fact]
    public async Task A_filter_id_of_the_stack_makes_the_request_complex()
    {
        var api = await factory.NewStackClientAsync();
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 52);

        Assert.Equal(tiles[..51], await api.PublicIdsAsync($"limit=51&filter_id={api.LatestFilterId}"));
    }

    [Theory]
    [InlineData("page=1000")]
    [InlineData("page=0")]
    [InlineData("page=-2")]
    [InlineData("page=99999999999")]
    public async Task A_page_out_of_range_falls_back_to_the_first(string query)
    {
        var api = await factory.NewStackClientAsync();
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 5);

        Assert.Equal(tiles[..2], await api.PublicIdsAsync("limit=2&" + query));
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=1.5")]
    [InlineData("limit=")]
    [InlineData("limit=3x")]
    public async Task A_non_numeric_limit_is_ignored(string query)
    {
        var api = await factory.NewStackClientAsync();
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 52);

        Assert.Equal(tiles[..50], await api.PublicIdsAsync(query));
    }

    [Fact]
    public async Task A_non_numeric_page_is_ignored()
    {
        var api = await factory.NewStackClientAsync();
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 6);

        Assert.Equal(tiles[..3], await api.PublicIdsAsync("limit=3&page=two"));
    }

    [Fact]
    public async Task Unknown_parameters_are_ignored()
    {
        var api = await factory.NewStackClientAsync();
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 8);

        Assert.Equal(tiles[3..6], await api.PublicIdsAsync("limit=3&page=2&sort=random&callback=x&access_token=nope&since_id=1&tags%5B%5D=5"));
    }

    [Fact]
    public async Task Malformed_filter_ids_and_tags_are_ignored()
    {
        var api = await factory.NewStackClientAsync();
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 52);

        // Nothing usable is left, so the request is basic: all content, limit 51 out of range.
        Assert.Equal(tiles[..1], await api.PublicIdsAsync("limit=51&filter_id=abc&tags=abc,-3,0,ext:"));
        Assert.Equal(tiles[3..6], await api.PublicIdsAsync("limit=3&page=2&filter_id=-1&tags=,,"));
    }

    [Fact]
    public async Task A_filter_id_of_another_stack_is_ignored()
    {
        var api = await factory.NewStackClientAsync();
        var other = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("Narrow");
        (await api.PutQueryAsync("contentapi", $"filter_id={await api.CreateFilterAsync($"name=F&tags={tag}")}")).AssertOk();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var older = await TileSeeder.SeedAsync(factory, api.StackId, sourceCreatedAt: now - 120, tagIds: [tag]);
        var newer = await TileSeeder.SeedAsync(factory, api.StackId, sourceCreatedAt: now - 60, tagIds: [tag]);
        var untagged = await TileSeeder.SeedAsync(factory, api.StackId, sourceCreatedAt: now);
        var foreign = await other.CreateFilterAsync("name=Theirs");

        // The plugin's own filter is served instead, as a basic request (limit 51 is out of range).
        Assert.Equal([newer, older], await api.PublicIdsAsync($"filter_id={foreign}"));
        Assert.Equal([newer], await api.PublicIdsAsync($"limit=51&filter_id={foreign}"));
        Assert.Equal([untagged, newer, older], await api.PublicIdsAsync($"limit=51&filter_id={api.LatestFilterId}"));
    }

    [Fact]
    public async Task More_than_20_tags_are_ignored()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("Wanted");
        var tagged = await TileSeeder.SeedAsync(factory, api.StackId, sourceCreatedAt: 1_000, tagIds: [tag]);
        var tiles = await SeedNewestFirstAsync(factory, api.StackId, 3);
        var twenty = string.Join(',', Enumerable.Range(900_000, 19).Append(tag));
        var twentyOne = string.Join(',', Enumerable.Range(900_000, 20).Append(tag));

        Assert.Equal([tagged], await api.PublicIdsAsync($"tags={twenty}"));
        string[] everything = [.. tiles, tagged];
        Assert.Equal(everything, await api.PublicIdsAsync($"tags={twentyOne}"));
        // Ignored tags leave a basic request.
        Assert.Single(await api.PublicIdsAsync($"limit=51&tags={twentyOne}"));
    }

    [Theory]
    [InlineData("limit=abc&page=-1&filter_id=x&tags=%00&brands=&categories=,")]
    [InlineData("limit=%FF&page=%2B")]
    [InlineData("limit=1&limit=2&page=1&page=3")]
    public async Task No_combination_of_bad_parameters_is_an_error(string query)
    {
        var api = await factory.NewStackClientAsync();
        await SeedNewestFirstAsync(factory, api.StackId, 2);

        var response = await api.PublicContentAsync(query);
        response.AssertOk();
        Assert.Equal("application/json", response.ContentType);
    }
}
