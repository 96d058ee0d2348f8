using Tessera.Server.Features.Terms;

namespace Tessera.Server.Features.Tiles;

/// <summary>
/// The ingestion rules every new tile goes through, whatever brought it (an API post, a feed item):
/// the term's moderation decides the status per media kind, the term's default tags come first, an
/// absent media kind is inferred, the author falls back to the term's display name, and the tile gets
/// its ids and timestamps.
/// </summary>
public static class TileIngestion
{
    /// <summary>
    /// Completes <paramref name="tile"/> (content already set) for ingestion by <paramref name="term"/>:
    /// a <paramref name="requestedStatus"/> the client asked for wins over the term's moderation, and
    /// <paramref name="tagIds"/> follow the term's <paramref name="defaultTags"/> (its tag ids that still exist). <paramref name="sourceCreatedAt"/> is when
    /// the post was made on its network (now when unknown). Returns false when the term's moderation
    /// excludes this kind of media.
    /// </summary>
    public static bool Prepare(Tile tile, Term term, IReadOnlyList<int> defaultTags, string? requestedStatus, IEnumerable<int> tagIds, DateTimeOffset now, long? sourceCreatedAt = null)
    {
        tile.StackId = term.StackId;
        tile.TermId = term.Id;
        tile.Media = string.IsNullOrEmpty(tile.Media) ? TileRules.InferMedia(tile.VideoUrl, tile.Html, tile.ImageUrl) : tile.Media;
        var moderation = ModerationFor(term, tile.Media);
        if (moderation == "exclude")
        {
            return false;
        }

        var seconds = now.ToUnixTimeSeconds();
        tile.ObjectId = ObjectIds.New(now);
        tile.CreatedAt = seconds;
        tile.UpdatedAt = seconds;
        tile.RandomKey = Random.Shared.Next();
        if (string.IsNullOrWhiteSpace(tile.Name) && !string.IsNullOrWhiteSpace(term.DisplayName))
        {
            tile.Name = term.DisplayName;
        }

        tile.SetTags(defaultTags.Concat(tagIds));
        tile.SetStatus(TileRules.ParseStatus(requestedStatus ?? StatusFor(moderation)));
        tile.SetSourceCreatedAt(sourceCreatedAt is > 0 ? sourceCreatedAt.Value : seconds);
        return true;
    }

    /// <summary>The term's moderation choice for a media kind (html posts follow the text setting).</summary>
    public static string ModerationFor(Term term, string media) => media switch
    {
        "image" => term.ModerateImage,
        "video" => term.ModerateVideo,
        _ => term.ModerateText,
    };

    private static string StatusFor(string moderation) => moderation switch
    {
        "queue" => "queued",
        "disable" => "disabled",
        _ => "published",
    };
}
