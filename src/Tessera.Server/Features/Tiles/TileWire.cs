using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Terms;

namespace Tessera.Server.Features.Tiles;

/// <summary>
/// A tile as the management API returns it (reference §2.1, decisions §2.7): <c>id</c> and
/// <c>_id.$id</c>, <c>tags</c> as id strings with <c>tags_extended</c> the full tags, booleans for the
/// status flags, UNIX timestamps. Stored media paths (<c>/media/…</c>) are made absolute with the
/// server's base URL.
/// </summary>
public sealed record TileWire
{
    public required string Id { get; init; }

    [JsonPropertyName("_id")]
    public required MongoId MongoId { get; init; }

    public int StackId { get; init; }

    public required string Source { get; init; }

    public required string SourceId { get; init; }

    public required string SourceUniqueId { get; init; }

    public required string Guid { get; init; }

    public string? StaFeedId { get; init; }

    public int? TermId { get; init; }

    public required IReadOnlyList<string> Terms { get; init; }

    public required IReadOnlyList<TermMeta> TermMeta { get; init; }

    public required string Media { get; init; }

    public required string Status { get; init; }

    public bool Disabled { get; init; }

    public bool Queued { get; init; }

    public required IReadOnlyList<string> DisabledReason { get; init; }

    public string? Name { get; init; }

    public string? User { get; init; }

    public string? Avatar { get; init; }

    public bool Anonymous { get; init; }

    public required string Message { get; init; }

    public required string Title { get; init; }

    public required string Html { get; init; }

    public required string ShareText { get; init; }

    public string? OriginalUrl { get; init; }

    public string? Image { get; init; }

    public string? ImageUrl { get; init; }

    public int ImageWidth { get; init; }

    public int ImageHeight { get; init; }

    public string? ImageSmallUrl { get; init; }

    public int ImageSmallWidth { get; init; }

    public int ImageSmallHeight { get; init; }

    public string? ImageMediumUrl { get; init; }

    public int ImageMediumWidth { get; init; }

    public int ImageMediumHeight { get; init; }

    public string? ImageLargeUrl { get; init; }

    public int ImageLargeWidth { get; init; }

    public int ImageLargeHeight { get; init; }

    public string? VideoUrl { get; init; }

    public string? WidthRatio { get; init; }

    public string? HeightRatio { get; init; }

    public string? Latitude { get; init; }

    public string? Longitude { get; init; }

    /// <summary><c>{name, latitude, longitude}</c> when the tile has a place name (set by automation rules); else null.</summary>
    public TileLocation? Location { get; init; }

    public double? StacklaSentimentScore { get; init; }

    public required JsonArray Hotspots { get; init; }

    /// <summary>The automation rules applied to the tile, as ids in the order they ran.</summary>
    public required IReadOnlyList<int> Rules { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required IReadOnlyList<TagWire> TagsExtended { get; init; }

    public double Score { get; init; }

    [JsonPropertyName("numVotes")]
    public int NumVotes { get; init; }

    [JsonPropertyName("numUps")]
    public int NumUps { get; init; }

    [JsonPropertyName("numDowns")]
    public int NumDowns { get; init; }

    [JsonPropertyName("numComments")]
    public int NumComments { get; init; }

    public bool Claimed { get; init; }

    public required JsonObject CustomFields { get; init; }

    public required JsonObject ExternalData { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }

    public long SourceCreatedAt { get; init; }

    /// <summary>A stored <c>/media/…</c> path made absolute with <paramref name="baseUrl"/>; other URLs as they are.</summary>
    public static string? MediaUrl(string? url, string baseUrl) =>
        url is not null && url.StartsWith("/media/", StringComparison.Ordinal) ? baseUrl + url : url;

    /// <param name="tile">The tile, with its <see cref="Tile.Tags"/> loaded.</param>
    /// <param name="tags">The stack's tags by id, as wire objects (at least this tile's).</param>
    /// <param name="terms">The stack's terms by id (at least this tile's, when it still exists).</param>
    /// <param name="baseUrl">Scheme and host to put before stored <c>/media/</c> paths, without a trailing slash.</param>
    public static TileWire From(Tile tile, IReadOnlyDictionary<int, TagWire> tags, IReadOnlyDictionary<int, Term> terms, string baseUrl)
    {
        var term = tile.TermId is { } termId && terms.TryGetValue(termId, out var found) ? found : null;
        var tagIds = tile.TagIds.Where(tags.ContainsKey).ToList();
        string? Absolute(string? url) => MediaUrl(url, baseUrl);
        return new TileWire
        {
            Id = tile.ObjectId,
            MongoId = new MongoId(tile.ObjectId),
            StackId = tile.StackId,
            Source = tile.Source,
            SourceId = tile.SourceId,
            SourceUniqueId = tile.SourceUniqueId,
            Guid = tile.Guid,
            StaFeedId = tile.StaFeedId,
            TermId = tile.TermId,
            Terms = term is null ? [] : [term.Name],
            TermMeta = term is null ? [] : [new TermMeta(term.Id, term.Name, term.Network, term.Type)],
            Media = tile.Media,
            Status = TileRules.ToWire(tile.Status),
            Disabled = tile.Status == TileStatus.Disabled,
            Queued = tile.Status == TileStatus.Queued,
            DisabledReason = tile.Status == TileStatus.Disabled ? ["moderated"] : [],
            Name = tile.Name,
            User = tile.User,
            Avatar = Absolute(tile.Avatar),
            Anonymous = tile.Anonymous,
            Message = tile.Message,
            Title = tile.Title,
            Html = tile.Html,
            ShareText = tile.ShareText,
            OriginalUrl = tile.OriginalUrl,
            Image = Absolute(tile.ImageUrl),
            ImageUrl = Absolute(tile.ImageUrl),
            ImageWidth = tile.ImageWidth,
            ImageHeight = tile.ImageHeight,
            ImageSmallUrl = Absolute(tile.ImageSmallUrl),
            ImageSmallWidth = tile.ImageSmallWidth,
            ImageSmallHeight = tile.ImageSmallHeight,
            ImageMediumUrl = Absolute(tile.ImageMediumUrl),
            ImageMediumWidth = tile.ImageMediumWidth,
            ImageMediumHeight = tile.ImageMediumHeight,
            ImageLargeUrl = Absolute(tile.ImageLargeUrl),
            ImageLargeWidth = tile.ImageLargeWidth,
            ImageLargeHeight = tile.ImageLargeHeight,
            VideoUrl = tile.VideoUrl,
            WidthRatio = tile.WidthRatio,
            HeightRatio = tile.HeightRatio,
            Latitude = tile.Latitude,
            Longitude = tile.Longitude,
            Location = tile.LocationName is null ? null : new TileLocation(tile.LocationName, tile.Latitude, tile.Longitude),
            StacklaSentimentScore = tile.SentimentScore,
            Hotspots = JsonNode.Parse(tile.HotspotsJson)?.AsArray() ?? [],
            Rules = tile.RuleIds,
            Tags = [.. tagIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            TagsExtended = [.. tagIds.Select(id => tags[id])],
            Score = tile.Score,
            NumVotes = tile.Votes,
            Claimed = tile.Claimed,
            CustomFields = JsonNode.Parse(tile.CustomFieldsJson)?.AsObject() ?? [],
            ExternalData = JsonNode.Parse(tile.ExternalDataJson)?.AsObject() ?? [],
            CreatedAt = tile.CreatedAt,
            UpdatedAt = tile.UpdatedAt,
            SourceCreatedAt = tile.SourceCreatedAt,
        };
    }
}

/// <summary>The MongoDB-style id object, <c>{"$id": "…"}</c>.</summary>
public sealed record MongoId([property: JsonPropertyName("$id")] string Id);

/// <summary>A tile's place: <c>location</c> on the wire.</summary>
public sealed record TileLocation(string Name, string? Latitude, string? Longitude);

/// <summary>The term that ingested a tile, as <c>term_meta</c> lists it.</summary>
public sealed record TermMeta(int TermId, string Term, string Source, string Type);
