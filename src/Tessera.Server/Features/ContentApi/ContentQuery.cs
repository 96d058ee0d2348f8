using System.Globalization;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Tessera.Server.Features.ContentApi;

/// <summary>
/// The parameters of a Content API request, read leniently (decisions §4): a parameter that is
/// unknown, of the wrong type or malformed is ignored, never a 400. What remains is normalized
/// (lists de-duplicated and sorted), so requests that mean the same share one cache entry.
/// <see cref="Page"/> is within 1–999 already; <see cref="Limit"/> is 1–100 or 0 for out of range, and
/// its range is applied by <see cref="Window"/> once it is known whether the request is basic or complex.
/// </summary>
public sealed record ContentQuery(
    int Limit,
    int Page,
    int? FilterId,
    IReadOnlyList<int> TagIds,
    IReadOnlyList<string> ExtTags,
    IReadOnlyList<string> Brands,
    IReadOnlyList<string> Categories)
{
    /// <summary>The most tags, brands or categories a request may name; longer lists are ignored (the range minimum is none).</summary>
    public const int MaxListItems = 20;

    public const int MaxItemLength = 255;

    public const int BasicMaxLimit = 50;

    public const int ComplexMaxLimit = 100;

    public const int DefaultLimit = 50;

    public const int MaxPage = 999;

    public static ContentQuery Parse(IQueryCollection query)
    {
        var tags = List(query["tags"]);
        var tagIds = new SortedSet<int>();
        var extTags = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (tag.StartsWith("ext:", StringComparison.OrdinalIgnoreCase) && tag.Length > 4)
            {
                extTags.Add(tag[4..]);
            }
            else if (PositiveInt(tag) is { } id)
            {
                tagIds.Add(id);
            }
        }

        var limit = PositiveOrOutOfRange(query["limit"]) ?? DefaultLimit;
        var page = PositiveOrOutOfRange(query["page"]) ?? 1;
        return new ContentQuery(
            limit <= ComplexMaxLimit ? limit : 0,
            page <= MaxPage ? Math.Max(page, 1) : 1,
            PositiveInt(query["filter_id"].FirstOrDefault()),
            [.. tagIds],
            [.. extTags],
            Lowered(List(query["brands"])),
            Lowered(List(query["categories"])));
    }

    /// <summary>Whether the request overrides the plugin's content (a filter, tags, brands or categories): larger pages, longer caching.</summary>
    public bool HasContentOverrides(bool filterFound) =>
        filterFound || TagIds.Count > 0 || ExtTags.Count > 0 || Brands.Count > 0 || Categories.Count > 0;

    /// <summary>
    /// Limit and page within their ranges: basic limit 1–50, complex 1–100, default 50; page 1–999,
    /// default 1. A value out of its range falls back to the range's minimum, 1.
    /// </summary>
    public (int Limit, int Page) Window(bool complex)
    {
        var maxLimit = complex ? ComplexMaxLimit : BasicMaxLimit;
        return (Limit >= 1 && Limit <= maxLimit ? Limit : 1, Page);
    }

    /// <summary>
    /// The cache key of this request to a plugin, as seen from a base URL (media links are absolute).
    /// Fields are separated by U+001E and list items by U+001F, characters no item may contain
    /// (see <see cref="List"/>), so two different requests never share a key.
    /// </summary>
    public string CacheKey(string pluginId, string baseUrl)
    {
        const char Field = '\u001e';
        const char Item = '\u001f';
        var key = new StringBuilder(pluginId.Length + baseUrl.Length + 64);
        key.Append(pluginId).Append(Field).Append(baseUrl)
            .Append(Field).Append(Limit).Append(Field).Append(Page).Append(Field).Append(FilterId)
            .Append(Field).AppendJoin(Item, TagIds).Append(Field).AppendJoin(Item, ExtTags)
            .Append(Field).AppendJoin(Item, Brands).Append(Field).AppendJoin(Item, Categories);
        return key.ToString();
    }

    /// <summary>
    /// A comma-separated list: blank, over-long and control-character items dropped; more than
    /// <see cref="MaxListItems"/> items and the list is ignored.
    /// </summary>
    private static List<string> List(StringValues values)
    {
        var text = values.FirstOrDefault();
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(i => i.Length <= MaxItemLength && !i.Any(char.IsControl)).Distinct(StringComparer.Ordinal).ToList();
        return items.Count <= MaxListItems ? items : [];
    }

    private static List<string> Lowered(List<string> items) =>
        [.. items.Select(i => i.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static int? PositiveInt(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    /// <summary>A positive integer; 0 for out-of-range integers (0, negative, too large for an int); null for non-numbers (ignored).</summary>
    private static int? PositiveOrOutOfRange(StringValues values)
    {
        var text = values.FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return Math.Max(value, 0);
        }

        // A whole number too large for an int is out of range too; anything else is not a number.
        return text.TrimStart('-', '+').All(char.IsAsciiDigit) && text.TrimStart('-', '+').Length > 0 ? 0 : null;
    }
}
