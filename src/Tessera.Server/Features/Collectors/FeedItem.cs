namespace Tessera.Server.Features.Collectors;

public enum FeedFormat
{
    Rss20,
    Atom10,
    Rss10,
}

/// <summary>A parsed feed: its title and link, and its first <see cref="FeedParser.MaxItems"/> items in document order.</summary>
public sealed record ParsedFeed(FeedFormat Format, string? Title, string? Link, IReadOnlyList<FeedItem> Items, bool Truncated);

/// <summary>One entry of a feed, reduced to what a tile needs. Every string is bounded; URLs are absolute http(s).</summary>
/// <param name="Key">Stable de-duplication key: the guid / Atom id, else the link, else <c>sha256:</c> of title (or message) and date.</param>
/// <param name="Link">The item's page.</param>
/// <param name="Title">Plain text.</param>
/// <param name="Message">Plain text of the content or summary: tags stripped, entities decoded, whitespace collapsed.</param>
/// <param name="Html">The raw content or summary HTML as the feed has it; unsanitized, so never display it as is.</param>
/// <param name="Author">Author name (RSS <c>author</c> or <c>dc:creator</c>, Atom <c>author/name</c>).</param>
/// <param name="ImageUrl">From media:content, an image enclosure, media:thumbnail, or the first <c>img</c> of the HTML.</param>
/// <param name="VideoUrl">From a video media:content or enclosure.</param>
/// <param name="PublishedAt">RSS <c>pubDate</c> / <c>dc:date</c>, Atom <c>published</c> else <c>updated</c>.</param>
public sealed record FeedItem(
    string Key,
    string? Link,
    string? Title,
    string Message,
    string? Html,
    string? Author,
    string? ImageUrl,
    string? VideoUrl,
    DateTimeOffset? PublishedAt);

/// <summary>The input is not a feed this parser reads: malformed XML, a DTD, too large, or an unknown root element.</summary>
public sealed class FeedFormatException(string message, Exception? innerException = null) : FormatException(message, innerException);
