using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tessera.Server.Compat;
using static Tessera.Server.Features.ModerationViews.ModerationViewFields;

namespace Tessera.Server.Features.ModerationViews;

/// <summary>
/// Reads the flat write shape of a moderation view (reference §2.6) onto a view; create and update share
/// it. Only the keys sent change: each one is merged into its stored group. A blank value of a grouped key
/// or of <c>sort_by</c> resets it to its default; <c>view_name</c>, <c>type</c> and <c>access_type</c>
/// cannot be blank.
/// </summary>
public static partial class ModerationViewInput
{
    /// <summary>The tag and term ids sent (null when absent), which the caller checks against the stack.</summary>
    public sealed record References(IReadOnlyList<int>? Tags, IReadOnlyList<int>? Terms);

    public static References Apply(FieldReader f, ApiParameters parameters, ModerationView view, bool isCreate)
    {
        RefuseUnknownKeys(f, parameters);

        var name = f.String("view_name", MaxNameLength);
        if (isCreate || name is not null)
        {
            f.Require("view_name", name);
        }

        view.ViewName = string.IsNullOrEmpty(name) ? view.ViewName : name;
        view.Type = f.Enum("type", Types) ?? view.Type;
        view.AccessType = f.Enum("access_type", AccessTypes) ?? view.AccessType;
        view.SortBy = ReadChoice(f, "sort_by", Sorts) ?? view.SortBy;

        var columns = ModerationViewGroups.Parse(view.Columns);
        foreach (var key in Columns)
        {
            if (f.Bool(ColumnsPrefix + key) is { } shown)
            {
                columns[key] = shown;
            }
        }

        var filter = ModerationViewGroups.Parse(view.Filter);
        Set(filter, "content_search", f.String(FilterPrefix + "content_search", MaxSearchLength));
        Set(filter, "origin", Strings(f.EnumList(FilterPrefix + "origin", Origins)));
        Set(filter, "media", Strings(f.EnumList(FilterPrefix + "media", MediaKinds)));
        Set(filter, "abuse", f.Bool(FilterPrefix + "abuse"));
        Set(filter, "filter_by_claimed", ReadChoice(f, FilterPrefix + "filter_by_claimed", ClaimedChoices));
        Set(filter, "filter_by_geolocation", f.Bool(FilterPrefix + "filter_by_geolocation"));
        var tags = Distinct(f.IdList(FilterPrefix + "tags", MaxIds));
        var terms = Distinct(f.IdList(FilterPrefix + "terms", MaxIds));
        Set(filter, "tags", Ids(tags));
        Set(filter, "terms", Ids(terms));

        var other = ModerationViewGroups.Parse(view.Other);
        var length = FieldIsBlank(f, OtherPrefix + "all_content_length")
            ? DefaultContentLength
            : f.Int(OtherPrefix + "all_content_length", 1, MaxContentLength);
        Set(other, "all_content_length", length);
        Set(other, "live_updates", f.Bool(OtherPrefix + "live_updates"));
        Set(other, "display", ReadChoice(f, OtherPrefix + "display", Displays));

        var date = ModerationViewGroups.Parse(view.DateRange);
        ReadDate(f, date, "from");
        ReadDate(f, date, "to");
        if (ModerationViewGroups.Date(date, "from") is { } from && ModerationViewGroups.Date(date, "to") is { } to && from > to)
        {
            f.AddError(DatePrefix + "from", $"must not be after {DatePrefix}to");
        }

        view.Columns = columns.ToJsonString();
        view.Filter = filter.ToJsonString();
        view.Other = other.ToJsonString();
        view.DateRange = date.ToJsonString();
        return new References(tags, terms);
    }

    /// <summary>A key with a group prefix that names no field of the group is a typo: 400 naming it.</summary>
    private static void RefuseUnknownKeys(FieldReader f, ApiParameters parameters)
    {
        foreach (var key in parameters.Names)
        {
            foreach (var (prefix, keys) in Groups)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal) && !keys.Contains(key[prefix.Length..]))
                {
                    f.AddError(Truncate(key), $"is not a moderation view field (the {prefix}* keys are {string.Join(", ", keys.Select(k => prefix + k))})", "unknown_field");
                    break;
                }
            }
        }
    }

    /// <summary>One of <paramref name="allowed"/>, the first being the default that a blank value restores.</summary>
    private static string? ReadChoice(FieldReader f, string name, IReadOnlyList<string> allowed) =>
        FieldIsBlank(f, name) ? allowed[0] : f.Enum(name, allowed);

    private static bool FieldIsBlank(FieldReader f, string name) => f.Has(name) && f.IsBlank(name);

    /// <summary>
    /// An ISO 8601 date or date-time (<c>2024-03-01</c>, <c>2024-03-01T10:00:00Z</c>, <c>…+02:00</c>; no
    /// offset means UTC), stored in UTC to the second; a blank value removes it.
    /// </summary>
    private static void ReadDate(FieldReader f, JsonObject date, string key)
    {
        var name = DatePrefix + key;
        if (FieldIsBlank(f, name))
        {
            date.Remove(key);
            return;
        }

        var text = f.String(name, 64);
        if (text is null)
        {
            return;
        }

        if (!IsoDateTime().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            f.AddError(name, "must be an ISO 8601 date-time such as 2024-03-01T10:00:00Z");
            return;
        }

        date[key] = ModerationViewGroups.FormatDate(value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 100)]
    private static partial Regex IsoDateTime();

    private static void Set(JsonObject group, string key, string? value)
    {
        if (value is not null)
        {
            group[key] = value;
        }
    }

    private static void Set(JsonObject group, string key, bool? value)
    {
        if (value is { } b)
        {
            group[key] = b;
        }
    }

    private static void Set(JsonObject group, string key, int? value)
    {
        if (value is { } n)
        {
            group[key] = n;
        }
    }

    private static void Set(JsonObject group, string key, JsonArray? value)
    {
        if (value is not null)
        {
            group[key] = value;
        }
    }

    private static JsonArray? Strings(IReadOnlyList<string>? items) =>
        items is null ? null : new JsonArray([.. items.Distinct().Select(i => (JsonNode?)JsonValue.Create(i))]);

    private static JsonArray? Ids(IReadOnlyList<int>? ids) =>
        ids is null ? null : new JsonArray([.. ids.Select(i => (JsonNode?)JsonValue.Create(i))]);

    private static List<int>? Distinct(IReadOnlyList<int>? ids) => ids is null ? null : [.. ids.Distinct()];

    private static string Truncate(string key) => key.Length <= 64 ? key : key[..64] + "…";
}

/// <summary>The stored groups of a view: JSON objects of the values sent, read back with defaults.</summary>
public static class ModerationViewGroups
{
    /// <summary>A stored group as an object to merge into; an unreadable one counts as empty.</summary>
    public static JsonObject Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static bool Bool(JsonObject group, string key) =>
        group[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public static string String(JsonObject group, string key, string fallback) =>
        group[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : fallback;

    public static int Int(JsonObject group, string key, int fallback) =>
        group[key] is JsonValue v && v.TryGetValue<int>(out var n) ? n : fallback;

    public static List<string> Strings(JsonObject group, string key) =>
        group[key] is JsonArray a ? [.. a.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>()] : [];

    public static List<int> Ids(JsonObject group, string key) =>
        group[key] is JsonArray a ? [.. a.OfType<JsonValue>().Select(v => v.TryGetValue<int>(out var n) ? n : 0).Where(n => n > 0)] : [];

    public static DateTimeOffset? Date(JsonObject group, string key) =>
        group[key] is JsonValue v && v.TryGetValue<string>(out var s)
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? d
            : null;

    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
