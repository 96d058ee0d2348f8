using Tessera.Server.Features.Filters;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.ModerationViews;

/// <summary>
/// The fields of a moderation view (reference §2.6). Written flat: a group prefix and a key
/// (<c>columns_select_col</c>, <c>filter_value_tags</c>, <c>other_display</c>, <c>date_range_from</c>);
/// read nested: the key inside the group's object (<c>column.select_col</c>, <c>filter.tags</c>,
/// <c>other.display</c>, <c>date.from</c>).
/// </summary>
public static class ModerationViewFields
{
    public const string ColumnsPrefix = "columns_";
    public const string FilterPrefix = "filter_value_";
    public const string OtherPrefix = "other_";
    public const string DatePrefix = "date_range_";

    public const int MaxNameLength = 255;
    public const int MaxSearchLength = 255;
    public const int MaxIds = 100;
    public const int DefaultContentLength = 25;
    public const int MaxContentLength = 100;

    /// <summary>The columns of the moderation screen, in the reference's order (each <c>columns_{key}</c> on the wire).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "select_col", "pin_col", "scheduled_col", "platform_col", "user_col", "name_col", "avatar_col", "content_col",
        "preview_col", "created_col", "ingested_col", "status_col", "disabled_reason_col", "last_moderated_col",
        "moderator_col", "terms_col", "tags_col", "type_col", "star_col", "abuse_col", "no_purge_col", "num_votes",
        "last_comment_queued_at", "greatest_score", "actions_col",
    ];

    public static readonly IReadOnlyList<string> FilterKeys =
        ["content_search", "origin", "media", "abuse", "filter_by_claimed", "filter_by_geolocation", "tags", "terms"];

    public static readonly IReadOnlyList<string> OtherKeys = ["all_content_length", "live_updates", "display"];

    public static readonly IReadOnlyList<string> DateKeys = ["from", "to"];

    public static readonly IReadOnlyList<string> Types = ["user"];

    public static readonly IReadOnlyList<string> AccessTypes = ["public", "private"];

    /// <summary><c>newest</c> (source time, newest first; the default), <c>oldest</c>, <c>score</c> (greatest first), <c>votes</c> (most first), <c>last_moderated</c>.</summary>
    public static readonly IReadOnlyList<string> Sorts = ["newest", "oldest", "score", "votes", "last_moderated"];

    public static readonly IReadOnlyList<string> Displays = ["table", "grid"];

    /// <summary>The networks a view may filter by: those a filter may name.</summary>
    public static IReadOnlyList<string> Origins => TileRules.Networks;

    public static IReadOnlyList<string> MediaKinds => TileRules.MediaKinds;

    public static IReadOnlyList<string> ClaimedChoices => FilterInput.ClaimedChoices;

    /// <summary>The group prefixes with the keys each accepts; any other key with one of these prefixes is refused.</summary>
    public static readonly IReadOnlyList<(string Prefix, IReadOnlyList<string> Keys)> Groups =
    [
        (ColumnsPrefix, Columns),
        (FilterPrefix, FilterKeys),
        (OtherPrefix, OtherKeys),
        (DatePrefix, DateKeys),
    ];
}
