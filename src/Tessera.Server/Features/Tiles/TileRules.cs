namespace Tessera.Server.Features.Tiles;

/// <summary>The value sets and bounds of tiles (reference §1.9 and §2.1).</summary>
public static class TileRules
{
    public const int MaxIdLength = 255;
    public const int MaxTextLength = 32_000;
    public const int MaxTags = 100;
    public const int MaxLocationNameLength = 255;

    /// <summary>Networks a tile can come from (<c>source</c>), and that filters and terms name.</summary>
    public static readonly IReadOnlyList<string> Networks =
    [
        "twitter", "facebook", "instagram", "youtube", "gplus", "flickr", "pinterest", "tumblr", "rss", "ecal",
        "sta_feed", "weibo", "tiktok", "linkedin", "stackla",
    ];

    public static readonly IReadOnlyList<string> MediaKinds = ["text", "image", "video", "html"];

    public static readonly IReadOnlyList<string> Statuses = ["published", "queued", "disabled"];

    /// <summary><c>queue</c> is the old docs' spelling of <c>queued</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> StatusAliases = new Dictionary<string, string> { ["queue"] = "queued" };

    public static TileStatus ParseStatus(string wire) => wire switch
    {
        "queued" => TileStatus.Queued,
        "disabled" => TileStatus.Disabled,
        _ => TileStatus.Published,
    };

    public static string ToWire(TileStatus status) => status switch
    {
        TileStatus.Queued => "queued",
        TileStatus.Disabled => "disabled",
        _ => "published",
    };

    /// <summary>Media inferred from the content when a post names none (decisions §2.10).</summary>
    public static string InferMedia(string? videoUrl, string? html, string? imageUrl) =>
        !string.IsNullOrEmpty(videoUrl) ? "video"
        : !string.IsNullOrEmpty(html) ? "html"
        : !string.IsNullOrEmpty(imageUrl) ? "image"
        : "text";
}
