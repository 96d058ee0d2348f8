using System.Text.Json;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Widgets;

/// <summary>Every style family (reference §2.5, §2.5.1): its type, and its defaults filled in only where the client sent nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class WidgetStyleDefaultsTests(TesseraFactory factory)
{
    /// <summary>Each style, its type, and characteristic defaults as <c>key=JSON</c> (SDK <c>setDefaultValue</c> and the style documentation).</summary>
    public static TheoryData<string, string, string[]> Families => new()
    {
        { "fluid", "fluid", ["max_tile_width=365", "tiles_per_page=15", "margin=0", "click_through_url=\"%5BEXPAND%5D\"", "polling_frequency=\"30\"", "enable_scrolling=\"0\""] },
        { "base_waterfall", "fluid", ["max_tile_width=365", "tiles_per_page=15", "enable_custom_tiles_per_page=\"\"", "widget_loading_image=\"/media/images/widget/loading.gif\"", "text_tile_font_size=24"] },
        { "horizontal-fluid", "fluid", ["tiles_per_page=15", "widget_height=300", "margin=7"] },
        { "base_carousel", "fluid", ["tiles_per_page=15", "widget_height=300", "margin=7", "load_more_type=\"static\""] },
        { "base_carousel_v3", "fluid", ["tiles_per_page=15", "widget_height=210", "minimal_tiles=1"] },
        { "base_gallery", "fluid", ["layout_mode=\"square\"", "rows=3", "tile_size=\"medium\"", "margin=10"] },
        { "base_blankcanvas", "fluid", ["tiles_per_page=30"] },
        { "base_map_leaflet", "fluid", ["defaultZoom=1", "maxZoom=19", "center=\"-33.8,151.2\"", "providerLayer=\"OpenStreetMap.Mapnik\"", "pinColor=\"b53f35\""] },
        { "carousel", "fixed", ["width=970", "height=300", "margin=7", "rows=10", "columns=2", "tileWidth=300", "tileHeight=300", "tiles_per_page=9", "navigation=\"click\"", "click_through_url=\"%5BORIGINAL_URL%5D\""] },
        { "base_billboard", "fixed", ["width=970", "height=300", "rows=10", "columns=2", "tiles_per_page=9"] },
        { "main", "fixed", ["width=970", "height=600", "margin=15", "rows=3", "columns=3", "tileWidth=251", "tileHeight=251", "tiles_per_page=9"] },
        { "base_feed", "fixed", ["width=970", "height=600", "margin=15", "rows=3", "columns=3", "tiles_per_page=9", "click_through_url=\"%5BNONE%5D\""] },
        { "auto", "fixed", ["width=970", "height=600", "tiles_per_page=9"] },
        { "slideshow", "fixed", ["auto_scroll=1", "width=970", "height=600", "margin=0", "rows=1", "columns=1", "tileWidth=970", "tileHeight=600", "tiles_per_page=15"] },
        { "base_slideshow", "fixed", ["auto_scroll=1", "rows=1", "columns=1", "tileWidth=970", "tileHeight=600"] },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public async Task A_style_gets_its_type_and_defaults_when_the_client_sends_only_name_and_style(string family, string type, string[] defaults)
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync($$$"""{"name":"{{{family}}} widget","style":"{{{family}}}"}""");

        var style = w.Style();
        Assert.Equal(family, style.GetProperty("style").GetString());
        Assert.Equal(type, style.GetProperty("type").GetString());
        Assert.Equal($"{family} widget", style.GetProperty("name").GetString());
        foreach (var pair in defaults)
        {
            var (key, json) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            Assert.True(style.TryGetProperty(key, out var value), $"{family}: no default for {key} in {style}");
            Assert.Equal(JsonDocument.Parse(json).RootElement.GetRawText(), value.GetRawText());
        }

        // Every style gets the SDK's config defaults.
        var config = w.GetProperty("config");
        Assert.Equal("0", config.GetProperty("tile_options").GetProperty("show_votes").GetString());
        Assert.Equal("portrait", config.GetProperty("lightbox").GetProperty("layout").GetString());
        Assert.Equal("1", config.GetProperty("lightbox").GetProperty("show_additional_info").GetString());

        // The type the family implies is accepted when sent; the other one is refused.
        var other = type == "fluid" ? "fixed" : "fluid";
        (await api.PostJsonAsync("widgets", $$$"""{"style":{"name":"typed","style":"{{{family}}}","type":"{{{type}}}"},"filter_id":{{{api.LatestFilterId}}} }""")).AssertOk();
        (await api.PostJsonAsync("widgets", $$$"""{"style":{"name":"mistyped","style":"{{{family}}}","type":"{{{other}}}"},"filter_id":{{{api.LatestFilterId}}} }"""))
            .AssertFieldError("style.type", "widget:type_mismatch");
    }

    [Fact]
    public async Task Values_the_client_sent_are_kept_as_sent_booleans_strings_and_raw_tokens()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync(
            """{"name":"Kept","style":"base_waterfall","enable_scrolling":true,"auto_refresh":"1","margin":"4","max_tile_width":200,"click_through_url":"[EXPAND]","custom_key":{"a":[1,2]}}""",
            extra: ""","config":{"tile_options":{"show_tags":true,"show_votes":1},"lightbox":{"show_sharing":false,"layout":"landscape"}}""");
        var style = w.Style();
        Assert.True(style.GetProperty("enable_scrolling").GetBoolean());
        Assert.Equal("1", style.GetProperty("auto_refresh").GetString());
        Assert.Equal("4", style.GetProperty("margin").GetString());
        Assert.Equal(200, style.GetProperty("max_tile_width").GetInt32());
        Assert.Equal("[EXPAND]", style.GetProperty("click_through_url").GetString());
        Assert.Equal("""{"a":[1,2]}""", style.GetProperty("custom_key").GetRawText());
        Assert.Equal(15, style.GetProperty("tiles_per_page").GetInt32()); // missing: filled

        var config = w.GetProperty("config");
        Assert.True(config.GetProperty("tile_options").GetProperty("show_tags").GetBoolean());
        Assert.Equal(1, config.GetProperty("tile_options").GetProperty("show_votes").GetInt32());
        Assert.Equal("0", config.GetProperty("tile_options").GetProperty("show_likes").GetString()); // missing: filled
        Assert.False(config.GetProperty("lightbox").GetProperty("show_sharing").GetBoolean());
        Assert.Equal("landscape", config.GetProperty("lightbox").GetProperty("layout").GetString());
    }

    [Theory]
    [InlineData("%5BEXPAND%5D")]
    [InlineData("[EXPAND]")]
    [InlineData("%5BNONE%5D")]
    [InlineData("[NONE]")]
    [InlineData("[ORIGINAL_URL]")]
    [InlineData("%5bORIGINAL_URL%5d")]
    [InlineData("https://shop.example.com/p?id=1")]
    [InlineData("https%3A%2F%2Fshop.example.com%2Fp")]
    [InlineData("")]
    public async Task Click_through_accepts_urls_and_the_tokens_raw_or_url_encoded(string value)
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync($$$"""{"name":"Click","style":"base_feed","click_through_url":{{{JsonSerializer.Serialize(value)}}} }""");
        Assert.Equal(value, w.Style().GetProperty("click_through_url").GetString());
    }

    [Theory]
    [InlineData("\"0\"")]
    [InlineData("\"1\"")]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("\"\"")]
    public async Task Boolean_keys_accept_the_sdk_strings_numbers_and_booleans(string json)
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync($$$"""{"name":"Flags","auto_refresh":{{{json}}} }""",
            extra: $$$""","config":{"tile_options":{"show_tags":{{{json}}} },"lightbox":{"show_nav":{{{json}}} },"claim_config":{"show_claim_button":{{{json}}} }}""");
        Assert.Equal(json, w.Style().GetProperty("auto_refresh").GetRawText());
        Assert.Equal(json, w.GetProperty("config").GetProperty("claim_config").GetProperty("show_claim_button").GetRawText());
    }
}
