using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.ContentApi;

/// <summary>
/// What a Content API request selects (decisions §4): the plugin's filter unless <c>filter_id</c> names
/// another filter of the stack; <c>tags</c> (ids and <c>ext:</c> product ids), <c>brands</c> and
/// <c>categories</c> each match any of their items, and different parameters must all match. There is
/// no fallback content: a request nothing matches gets no tiles.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ContentApiQueryTests(TesseraFactory factory)
{
    [Fact]
    public async Task The_plugin_serves_its_filter_and_a_filter_id_of_the_stack_overrides_it()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var b = await api.CreateTagAsync("B");
        var tileA = await PostAsync(api, $"message=a&tags={a}");
        var tileB = await PostAsync(api, $"message=b&tags={b}");
        var untagged = await PostAsync(api, "message=none");
        var filterA = await api.CreateFilterAsync($"name=A&tags={a}");
        var filterB = await api.CreateFilterAsync($"name=B&tags={b}");

        Assert.Equal([untagged, tileB, tileA], await api.PublicIdsAsync());
        (await api.PutQueryAsync("contentapi", $"filter_id={filterA}")).AssertOk();

        Assert.Equal([tileA], await api.PublicIdsAsync());
        Assert.Equal([tileB], await api.PublicIdsAsync($"filter_id={filterB}"));
        Assert.Equal([untagged, tileB, tileA], await api.PublicIdsAsync($"filter_id={api.LatestFilterId}"));
    }

    [Fact]
    public async Task The_plugins_filter_criteria_apply_beyond_tags()
    {
        var api = await factory.NewStackClientAsync();
        var posted = await PostAsync(api, "message=posted");
        var twitter = await TileSeeder.SeedAsync(factory, api.StackId, source: "twitter");
        var image = await PostAsync(api, "message=m&image_url=https%3A%2F%2Fcdn.example%2Fa.jpg");

        (await api.PutQueryAsync("contentapi", $"filter_id={await api.CreateFilterAsync("name=T&networks=twitter")}")).AssertOk();
        Assert.Equal([twitter], await api.PublicIdsAsync());
        Assert.Equal([image], await api.PublicIdsAsync($"filter_id={await api.CreateFilterAsync("name=I&media=image")}"));
        Assert.Equal([image, posted], await api.PublicIdsAsync($"filter_id={await api.CreateFilterAsync("name=S&networks=sta_feed")}"));
    }

    [Fact]
    public async Task Tags_select_tiles_carrying_any_of_them()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var b = await api.CreateTagAsync("B");
        var c = await api.CreateTagAsync("C");
        var onlyA = await PostAsync(api, $"message=a&tags={a}");
        var both = await PostAsync(api, $"message=ab&tags={a},{b}");
        await PostAsync(api, $"message=c&tags={c}");
        await PostAsync(api, "message=none");

        Assert.Equal([both, onlyA], await api.PublicIdsAsync($"tags={a}"));
        Assert.Equal([both, onlyA], await api.PublicIdsAsync($"tags={b},{a}"));
        Assert.Equal([both], await api.PublicIdsAsync($"tags={b}"));
        Assert.Equal([both, onlyA], await api.PublicIdsAsync($"tags=%20{a}%20,{a}"));
    }

    [Fact]
    public async Task Tags_within_the_plugins_filter_must_match_both()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var b = await api.CreateTagAsync("B");
        var onlyA = await PostAsync(api, $"message=a&tags={a}");
        var both = await PostAsync(api, $"message=ab&tags={a},{b}");
        await PostAsync(api, $"message=b&tags={b}");
        (await api.PutQueryAsync("contentapi", $"filter_id={await api.CreateFilterAsync($"name=A&tags={a}")}")).AssertOk();

        Assert.Equal([both, onlyA], await api.PublicIdsAsync());
        Assert.Equal([both], await api.PublicIdsAsync($"tags={b}"));
    }

    [Fact]
    public async Task Ext_tags_select_by_the_product_id_of_a_tag()
    {
        var api = await factory.NewStackClientAsync();
        var shoe = await CreateProductAsync(api, "Shoe", "SKU-1", "Acme", "Shoes");
        var hat = await CreateProductAsync(api, "Hat", "SKU-2", "Other", "Hats");
        var plain = await api.CreateTagAsync("Plain");
        var withShoe = await PostAsync(api, $"message=shoe&tags={shoe}");
        var withHat = await PostAsync(api, $"message=hat&tags={hat}");
        var withPlain = await PostAsync(api, $"message=plain&tags={plain}");

        Assert.Equal([withShoe], await api.PublicIdsAsync("tags=ext:SKU-1"));
        Assert.Equal([withHat, withShoe], await api.PublicIdsAsync("tags=ext:SKU-2,ext:SKU-1"));
        Assert.Equal([withPlain, withShoe], await api.PublicIdsAsync($"tags=ext:SKU-1,{plain}"));
        Assert.Empty(await api.PublicIdsAsync("tags=ext:SKU-404"));
    }

    [Theory]
    [InlineData("brands=acme%1Fglobex", "brands=acme,globex")]
    [InlineData("tags=ext:SKU-1%1FSKU-2", "tags=ext:SKU-1,ext:SKU-2")]
    [InlineData("categories=tools%1Ehome", "categories=tools,home")]
    public async Task A_list_item_with_a_control_character_is_ignored_and_never_shares_the_real_lists_page(string forged, string real)
    {
        var api = await factory.NewStackClientAsync();
        var acme = await CreateProductAsync(api, "Anvil", "SKU-1", "Acme", "Tools");
        var globex = await CreateProductAsync(api, "Lamp", "SKU-2", "Globex", "Home");
        var withAcme = await PostAsync(api, $"message=acme&tags={acme}");
        var withGlobex = await PostAsync(api, $"message=globex&tags={globex}");
        var untagged = await PostAsync(api, "message=none");

        // The forged item is dropped (a basic request for everything), and its page is its own.
        Assert.Equal([untagged, withGlobex, withAcme], await api.PublicIdsAsync(forged));
        Assert.Equal([withGlobex, withAcme], await api.PublicIdsAsync(real));
    }

    [Fact]
    public async Task Brands_match_product_tags_by_brand_ignoring_case()
    {
        var api = await factory.NewStackClientAsync();
        var acme = await CreateProductAsync(api, "Anvil", "SKU-1", "Acme", "Tools");
        var globex = await CreateProductAsync(api, "Lamp", "SKU-2", "Globex", "Home");
        var withAcme = await PostAsync(api, $"message=acme&tags={acme}");
        var withGlobex = await PostAsync(api, $"message=globex&tags={globex}");
        await PostAsync(api, "message=none");

        Assert.Equal([withAcme], await api.PublicIdsAsync("brands=acme"));
        Assert.Equal([withAcme], await api.PublicIdsAsync("brands=ACME"));
        Assert.Equal([withGlobex, withAcme], await api.PublicIdsAsync("brands=Globex,Acme"));
        Assert.Empty(await api.PublicIdsAsync("brands=Initech"));

        // Case is folded beyond ASCII, on SQLite too.
        var ohlins = await CreateProductAsync(api, "Shock", "SKU-3", "Öhlins", "Parts");
        var withOhlins = await PostAsync(api, $"message=shock&tags={ohlins}");
        Assert.Equal([withOhlins], await api.PublicIdsAsync("brands=%C3%B6HLINS"));
    }

    [Fact]
    public async Task Categories_match_any_category_of_product_tags_ignoring_case()
    {
        var api = await factory.NewStackClientAsync();
        var boots = await CreateProductAsync(api, "Boots", "SKU-1", "Acme", "Shoes,Outdoor");
        var tent = await CreateProductAsync(api, "Tent", "SKU-2", "Acme", "Outdoor");
        var withBoots = await PostAsync(api, $"message=boots&tags={boots}");
        var withTent = await PostAsync(api, $"message=tent&tags={tent}");
        await PostAsync(api, "message=none");

        Assert.Equal([withBoots], await api.PublicIdsAsync("categories=shoes"));
        Assert.Equal([withTent, withBoots], await api.PublicIdsAsync("categories=OUTDOOR"));
        Assert.Equal([withTent, withBoots], await api.PublicIdsAsync("categories=Shoes,Outdoor"));
        Assert.Empty(await api.PublicIdsAsync("categories=Kitchen"));
    }

    [Fact]
    public async Task Content_tags_are_not_products_for_brands_or_categories()
    {
        var api = await factory.NewStackClientAsync();
        var content = await api.CreateTagAsync("Acme", "&brand=Acme&categories=Shoes");
        await PostAsync(api, $"message=content&tags={content}");

        Assert.Empty(await api.PublicIdsAsync("brands=Acme"));
        Assert.Empty(await api.PublicIdsAsync("categories=Shoes"));
    }

    [Fact]
    public async Task Different_parameters_must_all_match()
    {
        var api = await factory.NewStackClientAsync();
        var season = await api.CreateTagAsync("Summer");
        var acmeShoe = await CreateProductAsync(api, "Sandal", "SKU-1", "Acme", "Shoes");
        var acmeHat = await CreateProductAsync(api, "Cap", "SKU-2", "Acme", "Hats");
        var globexShoe = await CreateProductAsync(api, "Clog", "SKU-3", "Globex", "Shoes");
        var summerSandal = await PostAsync(api, $"message=1&tags={season},{acmeShoe}");
        var summerCap = await PostAsync(api, $"message=2&tags={season},{acmeHat}");
        var winterSandal = await PostAsync(api, $"message=3&tags={acmeShoe}");
        var summerClog = await PostAsync(api, $"message=4&tags={season},{globexShoe}");

        Assert.Equal([summerCap, summerSandal], await api.PublicIdsAsync($"tags={season}&brands=acme"));
        Assert.Equal([summerClog, summerSandal], await api.PublicIdsAsync($"tags={season}&categories=shoes"));
        Assert.Equal([winterSandal, summerSandal], await api.PublicIdsAsync("brands=acme&categories=shoes"));
        Assert.Equal([summerSandal], await api.PublicIdsAsync($"tags={season}&brands=acme&categories=shoes"));
        Assert.Empty(await api.PublicIdsAsync($"tags={season}&brands=acme&categories=kitchen"));
    }

    [Fact]
    public async Task Tags_nothing_carries_give_no_tiles_rather_than_fallback_content()
    {
        var api = await factory.NewStackClientAsync();
        var unused = await api.CreateTagAsync("Unused");
        await PostAsync(api, "message=one");
        await PostAsync(api, "message=two");

        Assert.Equal(2, (await api.PublicIdsAsync()).Length);
        Assert.Empty(await api.PublicIdsAsync($"tags={unused}"));
        Assert.Empty(await api.PublicIdsAsync("tags=987654321"));
        Assert.Empty(await api.PublicIdsAsync($"tags={unused}&page=2"));
    }

    [Fact]
    public async Task Tags_of_another_stack_match_nothing()
    {
        var api = await factory.NewStackClientAsync();
        var other = await factory.NewStackClientAsync();
        var theirs = await other.CreateTagAsync("Theirs");
        await other.CreateTileAsync($"message=theirs&tags={theirs}");
        await PostAsync(api, "message=ours");

        Assert.Empty(await api.PublicIdsAsync($"tags={theirs}"));
    }

    private static async Task<string> PostAsync(ApiClient api, string form) =>
        (await api.CreateTileAsync(form)).GetProperty("id").GetString()!;

    private static async Task<int> CreateProductAsync(ApiClient api, string name, string extProductId, string brand, string categories)
    {
        var response = await api.PostFormAsync("tags",
            $"tag={name}&type=product&publicly_visible=1&ext_product_id={extProductId}&brand={Uri.EscapeDataString(brand)}&categories={Uri.EscapeDataString(categories)}");
        response.AssertOk();
        return response.Data.GetProperty("id").GetInt32();
    }
}
