namespace Tessera.Server.Features.Tiles;

/// <summary>Moderation state of a tile. Stored as a small integer so the filter indexes stay compact.</summary>
public enum TileStatus
{
    Published = 1,
    Queued = 2,
    Disabled = 3,
}

/// <summary>
/// One piece of content of a stack: an API post, an upload or a collected feed item.
/// <see cref="Seq"/> is the internal key every index and join uses; <see cref="ObjectId"/> is the
/// 24-hex id clients see. The tile's tags live in <see cref="Tags"/>, which also carries copies of the
/// columns filters sort and select by, so a tag-filtered page is one index range (see TileConfiguration).
/// </summary>
public sealed class Tile
{
    /// <summary>Insertion sequence number: the primary key, never shown on the wire.</summary>
    public long Seq { get; set; }

    /// <summary>The public 24-hex id (<c>id</c> and <c>_id.$id</c>); its first 8 digits are the creation time.</summary>
    public required string ObjectId { get; set; }

    public int StackId { get; set; }

    /// <summary>The term that ingested the tile, if it still exists.</summary>
    public int? TermId { get; set; }

    /// <summary>The network (<c>source</c> on the wire): <c>sta_feed</c>, <c>rss</c>, …</summary>
    public required string Source { get; set; }

    /// <summary>The post's id on its network.</summary>
    public required string SourceId { get; set; }

    /// <summary><c>{network}:{id}</c>; unique in a stack, which is what de-duplicates collected items.</summary>
    public required string SourceUniqueId { get; set; }

    /// <summary>External unique id (client-given or, by default, the <see cref="StaFeedId"/>).</summary>
    public required string Guid { get; set; }

    /// <summary>The id of an API post (<c>sta_feed</c> tiles only).</summary>
    public string? StaFeedId { get; set; }

    public required string Media { get; set; }

    public TileStatus Status { get; private set; } = TileStatus.Published;

    public string Message { get; set; } = string.Empty;

    public string? Name { get; set; }

    /// <summary>The author's handle on the network.</summary>
    public string? User { get; set; }

    public string? Avatar { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Html { get; set; } = string.Empty;

    public string ShareText { get; set; } = string.Empty;

    public string? OriginalUrl { get; set; }

    public string? ImageUrl { get; set; }

    public int ImageWidth { get; set; }

    public int ImageHeight { get; set; }

    public string? ImageSmallUrl { get; set; }

    public int ImageSmallWidth { get; set; }

    public int ImageSmallHeight { get; set; }

    public string? ImageMediumUrl { get; set; }

    public int ImageMediumWidth { get; set; }

    public int ImageMediumHeight { get; set; }

    public string? ImageLargeUrl { get; set; }

    public int ImageLargeWidth { get; set; }

    public int ImageLargeHeight { get; set; }

    public string? VideoUrl { get; set; }

    public string? WidthRatio { get; set; }

    public string? HeightRatio { get; set; }

    public string? Latitude { get; set; }

    public string? Longitude { get; set; }

    /// <summary>The place the post was made (<c>location.name</c>); set by automation rules.</summary>
    public string? LocationName { get; set; }

    /// <summary><c>stackla_sentiment_score</c>, from -1 to 1; set by automation rules.</summary>
    public double? SentimentScore { get; set; }

    /// <summary>Shoppable spots on the image, a JSON array of <c>{type, coords, tag}</c>; set by automation rules.</summary>
    public string HotspotsJson { get; set; } = "[]";

    /// <summary>The automation rules applied to the tile, in the order they ran (<c>rules</c> on the wire).</summary>
    public List<int> RuleIds { get; set; } = [];

    public bool Anonymous { get; set; }

    public bool Claimed { get; set; }

    public double Score { get; set; }

    public int Votes { get; set; }

    /// <summary>A random number drawn at ingestion: the <c>random</c> sort is a stable shuffle, so pages never overlap.</summary>
    public int RandomKey { get; set; }

    /// <summary>Data-template values, a JSON object.</summary>
    public string CustomFieldsJson { get; set; } = "{}";

    /// <summary>Registration data (e-mail, IP…): private, never served publicly.</summary>
    public string ExternalDataJson { get; set; } = "{}";

    /// <summary>Optimistic-concurrency token: every update increments it, so of two concurrent updates one gets a 409.</summary>
    public int Version { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    /// <summary>When the post was made on its network (the "latest" sort key).</summary>
    public long SourceCreatedAt { get; private set; }

    /// <summary>The tile's tags in their order; also the index rows filters read.</summary>
    public List<TileTag> Tags { get; } = [];

    /// <summary>The tag ids in order.</summary>
    public IEnumerable<int> TagIds => Tags.OrderBy(t => t.Position).Select(t => t.TagId);

    public void SetStatus(TileStatus status)
    {
        Status = status;
        foreach (var tag in Tags)
        {
            tag.Status = status;
        }
    }

    public void SetSourceCreatedAt(long unixSeconds)
    {
        SourceCreatedAt = unixSeconds;
        foreach (var tag in Tags)
        {
            tag.SourceCreatedAt = unixSeconds;
        }
    }

    /// <summary>Forgets the keys a failed insert may have assigned, so the tile can be inserted again.</summary>
    public void ForgetKeys()
    {
        Seq = 0;
        foreach (var tag in Tags)
        {
            tag.TileSeq = 0;
        }
    }

    /// <summary>Replaces the tag set with <paramref name="tagIds"/>, in that order (duplicates dropped).</summary>
    public void SetTags(IEnumerable<int> tagIds)
    {
        var wanted = tagIds.Distinct().ToList();
        Tags.RemoveAll(t => !wanted.Contains(t.TagId));
        for (var position = 0; position < wanted.Count; position++)
        {
            var row = Tags.Find(t => t.TagId == wanted[position]);
            if (row is null)
            {
                row = new TileTag { TagId = wanted[position], Status = Status, SourceCreatedAt = SourceCreatedAt };
                Tags.Add(row);
            }

            row.Position = position;
        }
    }
}

/// <summary>
/// A tag on a tile. Besides the link it repeats the tile's status and source time, so "published tiles
/// with tag T, newest first" is one range of the index (TagId, Status, SourceCreatedAt, TileSeq).
/// <see cref="Tile"/> keeps the copies in step.
/// </summary>
public sealed class TileTag
{
    public long TileSeq { get; set; }

    public int TagId { get; set; }

    /// <summary>Order of the tag on its tile (tags are returned in the order they were set).</summary>
    public int Position { get; set; }

    public TileStatus Status { get; set; }

    public long SourceCreatedAt { get; set; }
}
