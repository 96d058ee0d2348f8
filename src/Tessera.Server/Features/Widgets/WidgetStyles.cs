using System.Text.Json.Nodes;

namespace Tessera.Server.Features.Widgets;

/// <summary>A widget style (<c>style.style</c>): its <c>style.type</c> and the <c>style</c> keys it gets when a client leaves them out.</summary>
public sealed class WidgetStyleFamily(string name, string type, JsonObject defaults)
{
    public string Name { get; } = name;

    /// <summary><c>fluid</c> or <c>fixed</c>.</summary>
    public string Type { get; } = type;

    /// <summary>The default <c>style</c> keys (a copy: callers may change it).</summary>
    public JsonObject Defaults => defaults.DeepClone().AsObject();

    /// <summary>Adds every default key <paramref name="style"/> lacks; keys the client sent keep their values as sent.</summary>
    public void FillDefaults(JsonObject style)
    {
        foreach (var (key, value) in defaults)
        {
            if (!style.ContainsKey(key))
            {
                style[key] = value?.DeepClone();
            }
        }
    }
}

/// <summary>
/// The widget styles (reference §2.5, §2.5.1) as a data table. The defaults are what the PHP SDK's
/// <c>Widget::setDefaultValue</c> sends (strings <c>"0"</c>/<c>"1"</c>, URL-encoded click-through
/// tokens) and, for styles the SDK does not know, the values of the style-and-config documentation.
/// Clients that send booleans or raw <c>[EXPAND]</c> tokens keep them: defaults only fill missing keys.
/// </summary>
public static class WidgetStyles
{
    public const string Fluid = "fluid";
    public const string Fixed = "fixed";

    /// <summary>The style a create without <c>style.style</c> gets.</summary>
    public const string DefaultStyle = "base_waterfall";

    public static readonly IReadOnlyList<string> Types = [Fluid, Fixed];

    // Keys every tile-wall style shares (SDK defaults for base_waterfall, reference §2.5.1).
    private const string Common = """
        {
          "polling_frequency": "30",
          "parent_page_secret_key": "",
          "text_tile_background": "ffffff",
          "text_tile_font_color": "666666",
          "text_tile_font_size": 24,
          "text_tile_user_name_font_color": "333333",
          "text_tile_user_name_font_size": 18,
          "text_tile_user_handle_font_color": "333333",
          "text_tile_user_handle_font_size": 18,
          "widget_background": "",
          "widget_loading_image": "/media/images/widget/loading.gif"
        }
        """;

    // Vertical fluid walls: fluid, base_waterfall.
    private const string Waterfall = """
        {
          "enable_custom_tiles_per_page": "",
          "tiles_per_page": 15,
          "click_through_url": "%5BEXPAND%5D",
          "enable_scrolling": "0",
          "margin": 0,
          "max_tile_width": 365
        }
        """;

    // Horizontal fluid strips: horizontal-fluid, base_carousel.
    private const string HorizontalFluid = """
        {
          "enable_custom_tiles_per_page": "",
          "tiles_per_page": 15,
          "click_through_url": "%5BEXPAND%5D",
          "load_more_type": "static",
          "margin": 7,
          "widget_height": 300
        }
        """;

    // The NextGen carousel (widget-templates fixture).
    private const string CarouselV3 = """
        {
          "enable_custom_tiles_per_page": "",
          "tiles_per_page": 15,
          "click_through_url": "%5BEXPAND%5D",
          "load_more_type": "static",
          "margin": 10,
          "widget_height": 210,
          "minimal_tiles": 1
        }
        """;

    // Fixed carousels: carousel, base_billboard.
    private const string Carousel = """
        {
          "navigation": "click",
          "click_through_url": "%5BORIGINAL_URL%5D",
          "width": 970,
          "height": 300,
          "margin": 7,
          "rows": 10,
          "columns": 2,
          "tileWidth": 300,
          "tileHeight": 300,
          "tiles_per_page": 9
        }
        """;

    // Fixed grids: main (scroll), base_feed, auto.
    private const string Feed = """
        {
          "navigation": "click",
          "click_through_url": "%5BNONE%5D",
          "width": 970,
          "height": 600,
          "margin": 15,
          "rows": 3,
          "columns": 3,
          "tileWidth": 251,
          "tileHeight": 251,
          "tiles_per_page": 9
        }
        """;

    // One tile at a time: slideshow, base_slideshow.
    private const string Slideshow = """
        {
          "click_through_url": "%5BNONE%5D",
          "auto_scroll": 1,
          "width": 970,
          "height": 600,
          "margin": 0,
          "rows": 1,
          "columns": 1,
          "tileWidth": 970,
          "tileHeight": 600,
          "tiles_per_page": 15
        }
        """;

    private const string Gallery = """
        {
          "click_through_url": "%5BEXPAND%5D",
          "layout_mode": "square",
          "margin": 10,
          "rows": 3,
          "tile_size": "medium",
          "show_powered_by_stackla": "1",
          "tiles_per_page": 15
        }
        """;

    // A canvas for custom templates: no tile-wall keys.
    private const string BlankCanvas = """{"tiles_per_page": 30}""";

    private const string MapLeaflet = """
        {
          "defaultZoom": 1,
          "center": "-33.8,151.2",
          "minZoom": 1,
          "maxZoom": 19,
          "providerLayer": "OpenStreetMap.Mapnik",
          "pinColor": "b53f35",
          "pinTextColor": "ffffff"
        }
        """;

    private static readonly Dictionary<string, WidgetStyleFamily> Families = new WidgetStyleFamily[]
    {
        Family("fluid", Fluid, Common, Waterfall),
        Family("base_waterfall", Fluid, Common, Waterfall),
        Family("horizontal-fluid", Fluid, Common, HorizontalFluid),
        Family("base_carousel", Fluid, Common, HorizontalFluid),
        Family("base_carousel_v3", Fluid, Common, CarouselV3),
        Family("base_gallery", Fluid, Common, Gallery),
        Family("base_blankcanvas", Fluid, BlankCanvas),
        Family("base_map_leaflet", Fluid, MapLeaflet),
        Family("carousel", Fixed, Common, Carousel),
        Family("base_billboard", Fixed, Common, Carousel),
        Family("main", Fixed, Common, Feed),
        Family("base_feed", Fixed, Common, Feed),
        Family("auto", Fixed, Common, Feed),
        Family("slideshow", Fixed, Common, Slideshow),
        Family("base_slideshow", Fixed, Common, Slideshow),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Every style name, in the order of the table.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Families.Keys];

    // Config defaults every style gets (SDK Widget::setDefaultValue, reference §2.5.1).
    private static readonly JsonObject TileOptions = Parse("""
        {"show_tags": "0", "show_votes": "0", "show_likes": "0", "show_dislikes": "0", "show_comments": "0", "show_shopspots": "0"}
        """);

    private static readonly JsonObject Lightbox = Parse("""
        {
          "layout": "portrait",
          "show_additional_info": "1",
          "show_sharing": "0",
          "sharing_text": "",
          "sharing_title": "",
          "show_comments": "0",
          "post_comments": "0",
          "show_products": "0",
          "show_shopspots": "0"
        }
        """);

    /// <summary>The style named <paramref name="name"/> (exact, lowercase as listed), or null.</summary>
    public static WidgetStyleFamily? Find(string name) => Families.GetValueOrDefault(name);

    /// <summary>Adds the missing <c>tile_options</c> and <c>lightbox</c> keys (the objects themselves too) to <paramref name="config"/>.</summary>
    public static void FillConfigDefaults(JsonObject config)
    {
        Fill(config, "tile_options", TileOptions);
        Fill(config, "lightbox", Lightbox);
    }

    private static void Fill(JsonObject config, string name, JsonObject defaults)
    {
        if (config[name] is not JsonObject target)
        {
            target = [];
            config[name] = target;
        }

        foreach (var (key, value) in defaults)
        {
            if (!target.ContainsKey(key))
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static WidgetStyleFamily Family(string name, string type, params string[] groups)
    {
        var defaults = new JsonObject();
        foreach (var group in groups)
        {
            foreach (var (key, value) in Parse(group))
            {
                defaults[key] = value?.DeepClone();
            }
        }

        return new WidgetStyleFamily(name, type, defaults);
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
