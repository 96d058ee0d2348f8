using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tessera.Server.Compat;

namespace Tessera.Server.Features.Tiles;

/// <summary>
/// Reads the writable tile fields of a request (decisions §2.10). Content fields are writable on create,
/// and on update for <c>sta_feed</c> tiles only; status, tags, position and custom fields for every tile.
/// </summary>
public static partial class TileInput
{
    /// <summary>The fields an update may change only on tiles posted through the API.</summary>
    public static readonly IReadOnlyList<string> ContentFields =
    [
        "name", "message", "title", "html", "share_text", "avatar", "image_url",
        "image_small_url", "image_medium_url", "image_large_url", "image_width", "image_height",
        "image_small_width", "image_small_height", "image_medium_width", "image_medium_height",
        "image_large_width", "image_large_height", "video_url", "width_ratio", "height_ratio",
    ];

    public const int MaxCustomFields = 50;
    public const int MaxCustomFieldBytes = 1024;

    public static void ReadContent(FieldReader f, Tile tile)
    {
        tile.Name = f.String("name", 255) ?? tile.Name;
        tile.Message = f.String("message", TileRules.MaxTextLength) ?? tile.Message;
        tile.Title = f.String("title", 1024) ?? tile.Title;
        tile.Html = f.String("html", TileRules.MaxTextLength) ?? tile.Html;
        tile.ShareText = f.String("share_text", 1024) ?? tile.ShareText;
        tile.Avatar = UrlOrClear(f, "avatar", tile.Avatar);
        tile.ImageUrl = UrlOrClear(f, "image_url", tile.ImageUrl);
        tile.ImageSmallUrl = UrlOrClear(f, "image_small_url", tile.ImageSmallUrl);
        tile.ImageMediumUrl = UrlOrClear(f, "image_medium_url", tile.ImageMediumUrl);
        tile.ImageLargeUrl = UrlOrClear(f, "image_large_url", tile.ImageLargeUrl);
        tile.ImageWidth = Pixels(f, "image_width") ?? tile.ImageWidth;
        tile.ImageHeight = Pixels(f, "image_height") ?? tile.ImageHeight;
        tile.ImageSmallWidth = Pixels(f, "image_small_width") ?? tile.ImageSmallWidth;
        tile.ImageSmallHeight = Pixels(f, "image_small_height") ?? tile.ImageSmallHeight;
        tile.ImageMediumWidth = Pixels(f, "image_medium_width") ?? tile.ImageMediumWidth;
        tile.ImageMediumHeight = Pixels(f, "image_medium_height") ?? tile.ImageMediumHeight;
        tile.ImageLargeWidth = Pixels(f, "image_large_width") ?? tile.ImageLargeWidth;
        tile.ImageLargeHeight = Pixels(f, "image_large_height") ?? tile.ImageLargeHeight;
        tile.VideoUrl = UrlOrClear(f, "video_url", tile.VideoUrl);
        tile.WidthRatio = Ratio(f, "width_ratio") ?? tile.WidthRatio;
        tile.HeightRatio = Ratio(f, "height_ratio") ?? tile.HeightRatio;
    }

    /// <summary>Latitude, longitude and custom fields: writable on every tile.</summary>
    public static void ReadCommon(FieldReader f, Tile tile)
    {
        if (f.Has("latitude"))
        {
            tile.Latitude = Coordinate(f, "latitude", 90);
        }

        if (f.Has("longitude"))
        {
            tile.Longitude = Coordinate(f, "longitude", 180);
        }

        if (f.Object("custom_fields") is { } custom)
        {
            tile.CustomFieldsJson = MergeCustomFields(f, tile.CustomFieldsJson, custom);
        }
    }

    /// <summary>Checks the media kind against the content: html posts need html, video posts a video URL.</summary>
    public static void CheckMedia(FieldReader f, Tile tile)
    {
        if (tile.Media == "html" && string.IsNullOrEmpty(tile.Html))
        {
            f.AddError("html", "is required when media is html", "missing_field");
        }

        if (tile.Media == "video" && string.IsNullOrEmpty(tile.VideoUrl))
        {
            f.AddError("video_url", "is required when media is video", "missing_field");
        }
    }

    /// <summary>
    /// Custom fields merge into the stored ones: a key with a value sets it, a key with null removes it
    /// (DOC-DT: keys of <c>a-zA-Z0-9_,</c>, values of at most 1,024 bytes).
    /// </summary>
    private static string MergeCustomFields(FieldReader f, string storedJson, JsonObject changes)
    {
        var merged = JsonNode.Parse(storedJson)!.AsObject();
        foreach (var (key, value) in changes)
        {
            if (!CustomFieldKey().IsMatch(key))
            {
                f.AddError("custom_fields", $"key '{(key.Length > 40 ? key[..40] : key)}' must be 1–64 characters of a-z, A-Z, 0-9, '_' and ','");
                return storedJson;
            }

            if (value is null)
            {
                merged.Remove(key);
                continue;
            }

            if (System.Text.Encoding.UTF8.GetByteCount(value.ToJsonString()) > MaxCustomFieldBytes)
            {
                f.AddError("custom_fields", $"the value of '{key}' is larger than {MaxCustomFieldBytes} bytes");
                return storedJson;
            }

            merged[key] = value.DeepClone();
        }

        if (merged.Count > MaxCustomFields)
        {
            f.AddError("custom_fields", $"a tile has at most {MaxCustomFields} custom fields");
            return storedJson;
        }

        return merged.ToJsonString();
    }

    /// <summary>The URL field if sent (an empty value clears it), else <paramref name="current"/>.</summary>
    private static string? UrlOrClear(FieldReader f, string name, string? current) =>
        f.Has(name) ? f.Url(name) is { Length: > 0 } url ? url : null : current;

    private static int? Pixels(FieldReader f, string name) => f.Int(name, 0, 100_000);

    private static string? Ratio(FieldReader f, string name)
    {
        var text = f.String(name, 32);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
        {
            f.AddError(name, "must be a positive number");
            return null;
        }

        return text;
    }

    private static string? Coordinate(FieldReader f, string name, double limit)
    {
        var text = f.String(name, 32);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || Math.Abs(value) > limit)
        {
            f.AddError(name, $"must be a decimal number between -{limit} and {limit}");
            return null;
        }

        return text;
    }

    [GeneratedRegex("^[a-zA-Z0-9_,]{1,64}$")]
    private static partial Regex CustomFieldKey();
}
