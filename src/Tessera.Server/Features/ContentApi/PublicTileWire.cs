using System.Globalization;
using System.Text.Json.Serialization;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.ContentApi;

/// <summary>
/// A tile as websites see it through the Content API: an allow-list of display fields, so a field
/// added to tiles later is private until it is added here. Never here (decisions §3): registration
/// data (<c>external_data</c>: e-mail, IP…), <c>custom_fields</c>, moderation state and reasons,
/// terms, claims, external ids and the location. Only publicly visible tags are listed (as
/// <see cref="PublicTagWire"/>), and an
/// anonymous tile has no author.
/// </summary>
public sealed record PublicTileWire
{
    public required string Id { get; init; }

    [JsonPropertyName("_id")]
    public required MongoId MongoId { get; init; }

    public required string Source { get; init; }

    public required string Media { get; init; }

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

    public required IReadOnlyList<string> Tags { get; init; }

    public required IReadOnlyList<PublicTagWire> TagsExtended { get; init; }

    public double Score { get; init; }

    [JsonPropertyName("numVotes")]
    public int NumVotes { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }

    public long SourceCreatedAt { get; init; }

    /// <param name="tile">A published tile with its tags loaded.</param>
    /// <param name="publicTags">Wire objects of the stack's publicly visible tags (at least this tile's).</param>
    /// <param name="baseUrl">Scheme and host for stored <c>/media/</c> paths.</param>
    public static PublicTileWire From(Tile tile, IReadOnlyDictionary<int, PublicTagWire> publicTags, string baseUrl)
    {
        var tagIds = tile.TagIds.Where(publicTags.ContainsKey).ToList();
        string? Absolute(string? url) => TileWire.MediaUrl(url, baseUrl);
        return new PublicTileWire
        {
            Id = tile.ObjectId,
            MongoId = new MongoId(tile.ObjectId),
            Source = tile.Source,
            Media = tile.Media,
            Name = tile.Anonymous ? null : tile.Name,
            User = tile.Anonymous ? null : tile.User,
            Avatar = tile.Anonymous ? null : Absolute(tile.Avatar),
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
            Tags = [.. tagIds.Select(id => id.ToString(CultureInfo.InvariantCulture))],
            TagsExtended = [.. tagIds.Select(id => publicTags[id])],
            Score = tile.Score,
            NumVotes = tile.Votes,
            CreatedAt = tile.CreatedAt,
            UpdatedAt = tile.UpdatedAt,
            SourceCreatedAt = tile.SourceCreatedAt,
        };
    }
}

/// <summary>The body of every Content API answer (decisions §4).</summary>
public sealed record PublicContentBody(IReadOnlyList<PublicTileWire> Data, IReadOnlyList<Compat.ApiError> Errors);
