using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Server.Compat;

namespace Tessera.Server.Features.Widgets;

/// <summary>
/// Reads the writable widget fields (reference §2.5) onto a widget: create, update and clone share
/// <see cref="Apply"/>, derive has <see cref="ApplyDerive"/>. Every invalid value adds an error
/// naming the field (<c>style.margin</c> for a key inside <c>style</c>); nothing is stored unless
/// all of them are valid.
/// </summary>
public static class WidgetInput
{
    public const int MaxNameLength = 255;

    /// <summary>Each of <c>custom_css</c>, <c>lightbox_custom_css</c>, <c>custom_js</c>, <c>lightbox_custom_js</c>: at most this many characters.</summary>
    public const int MaxCodeLength = 64 * 1024;

    /// <summary><c>style</c>, <c>config</c> and each extra field, as JSON: at most this many characters as sent.</summary>
    public const int MaxObjectBytes = 64 * 1024;

    /// <summary>How deeply <c>style</c>, <c>config</c> and extra fields may nest.</summary>
    public const int MaxDepth = 8;

    public const int MaxUrlLength = 2048;

    public const string CloneSuffix = " (Clone)";

    public static readonly IReadOnlyList<string> CodeFields = ["custom_css", "lightbox_custom_css", "custom_js", "lightbox_custom_js"];

    /// <summary>NextGen fields stored as sent (any JSON shape) and returned as top-level members.</summary>
    public static readonly IReadOnlyList<string> ExtraFields =
        ["css", "source_css", "lightbox_source_css", "use_default_css", "use_default_js", "custom_tile", "custom_templates"];

    /// <summary>Every writable top-level field.</summary>
    public static readonly IReadOnlyList<string> Fields = ["style", "config", "filter_id", "enabled", "external_js", .. CodeFields, .. ExtraFields];

    public static readonly IReadOnlyList<string> ClickThroughTokens = ["[EXPAND]", "[NONE]", "[ORIGINAL_URL]"];

    public static readonly IReadOnlyList<string> LoadMoreTypes = ["button", "scroll", "static"];

    // Keys whose values must be boolean-ish: "0", "1", 0, 1, true, false ("" and null too: PHP's empty).
    private static readonly HashSet<string> StyleFlags =
    [
        "enable_scrolling", "auto_scroll", "auto_refresh", "enable_doublecolumnspan", "enable_typekit",
        "show_powered_by_stackla", "parent_page_ext_username", "parent_page_permission",
    ];

    // Keys whose values must be whole numbers (as numbers or digit strings; "" and null too).
    private static readonly HashSet<string> StyleNumbers =
    [
        "tiles_per_page", "margin", "max_tile_width", "width", "height", "rows", "row", "columns", "tileWidth", "tileHeight",
        "widget_height", "polling_frequency", "row_per_page", "rows_per_page", "text_tile_font_size",
        "text_tile_user_name_font_size", "text_tile_user_handle_font_size", "image_tile_font_size", "minimal_tiles",
        "defaultZoom", "minZoom", "maxZoom",
    ];

    private const int MaxStyleNumber = 100_000;

    private static readonly Dictionary<string, HashSet<string>> ConfigFlags = new(StringComparer.Ordinal)
    {
        ["tile_options"] =
        [
            "show_comments", "show_dislikes", "show_likes", "show_nav", "show_sharing", "show_shopspots", "show_tags", "show_votes",
            "show_timestamp", "show_caption", "show_products", "show_add_to_cart", "auto_play_video", "show_inline_tiles", "show_carousel",
        ],
        ["lightbox"] =
        [
            "apply_custom_sharing_title_on_miss_title", "disable_short_url", "post_comments", "show_additional_info", "show_caption",
            "show_timestamp", "show_comments", "show_dislikes", "show_likes", "show_nav", "show_sharing", "show_shopspots", "show_products",
            "show_product", "show_tags", "show_votes", "show_cross_sellers", "show_add_to_cart", "show_carousel_grouping",
        ],
        ["claim_config"] = ["show_claim_button", "show_content_toggle"],
    };

    /// <summary>
    /// Reads every field sent onto <paramref name="widget"/>. On create <c>style</c> (with <c>name</c>)
    /// and <c>filter_id</c> are required. Returns the <c>filter_id</c> sent, which the caller checks
    /// against the stack's filters, or null.
    /// </summary>
    public static int? Apply(FieldReader f, Widget widget, bool isCreate)
    {
        if (f.Has("style"))
        {
            ApplyStyle(f, f.Object("style", MaxObjectBytes, maxDepth: MaxDepth), widget, isCreate);
        }
        else if (isCreate)
        {
            f.AddError("style", "is required (an object with at least name)", "missing_field");
        }

        if (f.Has("config"))
        {
            if (ReadConfig(f, f.Object("config", MaxObjectBytes, maxDepth: MaxDepth)) is { } config)
            {
                widget.Config = config.ToJsonString();
            }
        }
        else if (isCreate)
        {
            var config = new JsonObject();
            WidgetStyles.FillConfigDefaults(config);
            widget.Config = config.ToJsonString();
        }

        int? filterId = null;
        if (f.Has("filter_id"))
        {
            filterId = f.Int("filter_id", 1);
        }
        else if (isCreate)
        {
            f.AddError("filter_id", "is required (the id of one of the stack's filters)", "missing_field");
        }

        widget.Enabled = f.Bool("enabled") ?? widget.Enabled;
        widget.CustomCss = f.String("custom_css", MaxCodeLength) ?? widget.CustomCss;
        widget.LightboxCustomCss = f.String("lightbox_custom_css", MaxCodeLength) ?? widget.LightboxCustomCss;
        widget.CustomJs = f.String("custom_js", MaxCodeLength) ?? widget.CustomJs;
        widget.LightboxCustomJs = f.String("lightbox_custom_js", MaxCodeLength) ?? widget.LightboxCustomJs;
        widget.ExternalJs = f.Url("external_js", MaxUrlLength) ?? widget.ExternalJs;
        ApplyExtra(f, widget);
        return filterId;
    }

    /// <summary>
    /// Reads a derive request onto <paramref name="child"/> (a copy of its source): only
    /// <c>filter_id</c> and <c>style.name</c> may be given, every other field is the source's.
    /// Returns the <c>filter_id</c> sent, or null.
    /// </summary>
    public static int? ApplyDerive(FieldReader f, Widget child)
    {
        foreach (var field in Fields.Where(x => x is not ("filter_id" or "style") && f.Has(x)))
        {
            f.AddError(field, "a derived widget takes everything but filter_id and style.name from its source; change it with PUT afterwards", "not_derivable");
        }

        if (f.Has("style") && f.Object("style", MaxObjectBytes, maxDepth: MaxDepth) is { } style)
        {
            foreach (var key in style.Select(p => p.Key).Where(k => k != "name"))
            {
                f.AddError($"style.{key}", "a derived widget takes everything but filter_id and style.name from its source; change it with PUT afterwards", "not_derivable");
            }

            if (style.ContainsKey("name") && ReadName(f, style["name"]) is { } name)
            {
                Rename(child, name);
            }
        }

        return f.Has("filter_id") ? f.Int("filter_id", 1) : null;
    }

    /// <summary>Sets the widget's name, in its column and in its stored <c>style</c>.</summary>
    public static void Rename(Widget widget, string name)
    {
        var style = JsonNode.Parse(widget.Style) as JsonObject ?? [];
        style["name"] = name;
        widget.Style = style.ToJsonString();
        widget.Name = name;
    }

    /// <summary><paramref name="name"/> with <see cref="CloneSuffix"/>, shortened first when the result would be too long.</summary>
    public static string CloneName(string name)
    {
        var keep = MaxNameLength - CloneSuffix.Length;
        if (name.Length > keep)
        {
            name = name[..(char.IsHighSurrogate(name[keep - 1]) ? keep - 1 : keep)];
        }

        return name + CloneSuffix;
    }

    private static void ApplyStyle(FieldReader f, JsonObject? sent, Widget widget, bool isCreate)
    {
        if (sent is null)
        {
            return; // the reader said why
        }

        var style = sent.DeepClone().AsObject();
        string? name;
        if (style.ContainsKey("name"))
        {
            name = ReadName(f, style["name"]);
        }
        else if (isCreate)
        {
            f.AddError("style.name", "is required: the widget's name", "missing_field");
            name = null;
        }
        else
        {
            name = widget.Name;
        }

        var family = ReadFamily(f, style, isCreate ? WidgetStyles.DefaultStyle : widget.StyleName);
        CheckStyleValues(f, style);
        if (name is null || family is null)
        {
            return;
        }

        style["name"] = name;
        style["style"] = family.Name;
        style["type"] = family.Type;
        family.FillDefaults(style);
        widget.Name = name;
        widget.StyleName = family.Name;
        widget.Type = family.Type;
        widget.Style = style.ToJsonString();
    }

    private static string? ReadName(FieldReader f, JsonNode? node)
    {
        var name = Scalar(node)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            f.AddError("style.name", "must be a non-empty string", name is null ? "invalid_field" : "missing_field");
            return null;
        }

        if (name.Length > MaxNameLength)
        {
            f.AddError("style.name", $"is longer than {MaxNameLength} characters");
            return null;
        }

        if (!FieldReader.IsCleanText(name))
        {
            f.AddError("style.name", "contains control characters or invalid Unicode");
            return null;
        }

        return name;
    }

    /// <summary>The style family of <c>style.style</c> (or <paramref name="fallback"/> when absent), checked against <c>style.type</c>.</summary>
    private static WidgetStyleFamily? ReadFamily(FieldReader f, JsonObject style, string fallback)
    {
        var styleName = style.ContainsKey("style") ? Scalar(style["style"])?.Trim() : fallback;
        var family = styleName is null ? null : WidgetStyles.Find(styleName);
        if (family is null)
        {
            f.AddError("style.style", $"'{Shorten(styleName ?? "(not a string)")}' is not a widget style; use one of {string.Join(", ", WidgetStyles.Names)}", "unknown_style");
            return null;
        }

        if (!style.ContainsKey("type"))
        {
            return family;
        }

        var type = Scalar(style["type"])?.Trim();
        if (type is null || !WidgetStyles.Types.Contains(type))
        {
            f.AddError("style.type", "must be fluid or fixed");
            return null;
        }

        if (type != family.Type)
        {
            f.AddError("style.type", $"style '{family.Name}' is {family.Type}, not {type}", "type_mismatch");
            return null;
        }

        return family;
    }

    private static void CheckStyleValues(FieldReader f, JsonObject style)
    {
        foreach (var (key, value) in style)
        {
            if (StyleFlags.Contains(key) && !IsFlag(value))
            {
                f.AddError($"style.{key}", "must be 0 or 1 (\"0\", \"1\", true or false)");
            }
            else if (StyleNumbers.Contains(key) && !IsNumber(value))
            {
                f.AddError($"style.{key}", $"must be a whole number from 0 to {MaxStyleNumber}");
            }
            else if (key == "click_through_url" && !IsClickThrough(value))
            {
                f.AddError("style.click_through_url", "must be an absolute http(s) URL or one of [EXPAND], [NONE], [ORIGINAL_URL] (raw or URL-encoded)");
            }
            else if (key == "load_more_type" && Scalar(value) is var type && !(type == string.Empty || (type is not null && LoadMoreTypes.Contains(type))))
            {
                f.AddError("style.load_more_type", $"must be one of {string.Join(", ", LoadMoreTypes)}");
            }
        }
    }

    /// <summary>The config sent, with <c>tile_options</c> and <c>lightbox</c> objects always present and defaults filled in.</summary>
    private static JsonObject? ReadConfig(FieldReader f, JsonObject? sent)
    {
        if (sent is null)
        {
            return null;
        }

        var config = sent.DeepClone().AsObject();
        var valid = true;
        foreach (var (section, flags) in ConfigFlags)
        {
            if (!config.TryGetPropertyValue(section, out var node))
            {
                continue;
            }

            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj.Where(p => flags.Contains(p.Key) && !IsFlag(p.Value)))
                    {
                        f.AddError($"config.{section}.{key}", "must be 0 or 1 (\"0\", \"1\", true or false)");
                        valid = false;
                    }

                    break;
                case null or JsonArray { Count: 0 }:
                    // PHP's json_encode writes an empty array for an empty object.
                    config[section] = new JsonObject();
                    break;
                default:
                    f.AddError($"config.{section}", "must be an object");
                    valid = false;
                    break;
            }
        }

        if (!valid)
        {
            return null;
        }

        WidgetStyles.FillConfigDefaults(config);
        return config;
    }

    private static void ApplyExtra(FieldReader f, Widget widget)
    {
        if (!ExtraFields.Any(f.Has))
        {
            return;
        }

        var extra = JsonNode.Parse(widget.Extra) as JsonObject ?? [];
        foreach (var field in ExtraFields.Where(f.Has))
        {
            var errors = f.Errors.Count;
            var value = f.Value(field, MaxObjectBytes, MaxDepth);
            if (f.Errors.Count == errors)
            {
                extra[field] = value;
            }
        }

        widget.Extra = extra.ToJsonString();
    }

    private static bool IsFlag(JsonNode? node) => node is null || FieldReader.Flag(node) is not null;

    private static bool IsNumber(JsonNode? node) => node switch
    {
        null => true,
        JsonValue v when v.TryGetValue<long>(out var n) => n is >= 0 and <= MaxStyleNumber,
        JsonValue v when v.TryGetValue<double>(out var d) => d == Math.Floor(d) && d is >= 0 and <= MaxStyleNumber,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Trim().Length == 0
            || (int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxStyleNumber),
        _ => false,
    };

    /// <summary>Empty, a click-through token raw or URL-encoded (<c>%5BEXPAND%5D</c>), or an absolute http(s) URL (raw or URL-encoded).</summary>
    private static bool IsClickThrough(JsonNode? node)
    {
        if (node is null)
        {
            return true;
        }

        if (Scalar(node) is not { } text || text.Length > MaxUrlLength)
        {
            return false;
        }

        text = text.Trim();
        if (text.Length == 0 || IsTokenOrUrl(text))
        {
            return true;
        }

        try
        {
            return IsTokenOrUrl(Uri.UnescapeDataString(text));
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    private static bool IsTokenOrUrl(string text) =>
        ClickThroughTokens.Contains(text.ToUpperInvariant())
        || (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));

    /// <summary>A string, or a number's text; null for anything else (objects, arrays, booleans, JSON null).</summary>
    private static string? Scalar(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() is JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
