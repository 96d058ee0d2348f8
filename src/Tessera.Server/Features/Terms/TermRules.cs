namespace Tessera.Server.Features.Terms;

/// <summary>The term value sets: the type × network matrix (reference §2.4) and the moderation choices.</summary>
public static class TermRules
{
    /// <summary>Which networks each term type exists for.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> NetworksByType = new Dictionary<string, string[]>
    {
        ["hashtag"] = ["twitter", "instagram"],
        ["user"] = ["twitter", "instagram", "gplus", "youtube", "flickr", "pinterest", "facebook"],
        ["search"] = ["twitter", "gplus", "youtube"],
        ["location"] = ["twitter", "instagram"],
        ["page"] = ["facebook", "pinterest", "rss"],
        ["gallery"] = ["flickr"],
        ["set"] = ["flickr"],
        ["blog"] = ["tumblr"],
        ["atom"] = ["rss"],
        ["default"] = ["ecal"],
        ["post"] = ["sta_feed"],
        ["weiboshow"] = ["weibo"],
        ["weibopage"] = ["weibo"],
        ["weibotopic"] = ["weibo"],
    };

    public static readonly IReadOnlyList<string> Types = [.. NetworksByType.Keys];

    public static readonly IReadOnlyList<string> Networks = [.. NetworksByType.Values.SelectMany(n => n).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Networks this deployment really collects from; terms of the others are <c>not_connected</c>.</summary>
    public static readonly IReadOnlyList<string> CollectedNetworks = ["sta_feed", "rss"];

    public static readonly IReadOnlyList<string> Moderations = ["publish", "queue", "disable", "exclude"];

    /// <summary>The boolean switches of a term, stored as the set of those that are on.</summary>
    public static readonly IReadOnlyList<string> Switches =
    [
        "retweet_enable", "reply_enable", "reply_to_enable", "partial_match", "include_fan_content",
        "include_hashtag_in_comments", "include_official_content",
    ];

    /// <summary>CSV fields (the SDK may send them as arrays; they are returned as CSV strings).</summary>
    public static readonly IReadOnlyList<string> CsvFields =
        ["filter", "exclude_filter", "fan_filter", "fan_exclude_filter", "whitelist_handles", "blacklist_handles"];

    /// <summary>Fields only the SDK's Term class declares; kept verbatim and returned as sent.</summary>
    public static readonly IReadOnlyList<string> SdkOnlyFields =
    [
        "official", "own", "disable_badword", "avatar", "ecal_id", "access_key", "attribute", "selector",
        "subscribed_to_updates", "page_type", "verified_accounts", "geofence",
    ];

    public const int MaxTags = 50;

    public static bool IsCollected(string network) => CollectedNetworks.Contains(network);

    /// <summary>What <c>ingestion_status</c> reports.</summary>
    public static string IngestionStatus(Term term) =>
        !IsCollected(term.Network) ? "not_connected"
        : !term.Active ? "inactive"
        : term.ConsecutiveFailures > 0 ? "failing"
        : "active";
}
