using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Tessera.Server.Features.Collectors;

/// <summary>
/// Reads RSS 2.0 (and 0.9x), Atom 1.0 and RSS 1.0 (RDF) into <see cref="FeedItem"/>s. The XML
/// reader refuses DTDs (so no entity expansion), resolves nothing external and stops after
/// <see cref="MaxDocumentCharacters"/>; anything it cannot read is a <see cref="FeedFormatException"/>.
/// </summary>
public static class FeedParser
{
    /// <summary>Items read per parse; the rest are dropped and <see cref="ParsedFeed.Truncated"/> is set.</summary>
    public const int MaxItems = 200;

    /// <summary>About 10 MB of text; more than <c>Tessera:Outbound:MaxResponseBytes</c> lets through by default.</summary>
    public const long MaxDocumentCharacters = 10_000_000;

    public const int MaxMessageChars = 32_000;

    public const int MaxHtmlChars = 65_536;

    public const int MaxTitleChars = 1_000;

    public const int MaxAuthorChars = 256;

    /// <summary>A longer guid or link is replaced by its <c>sha256:</c> hash as the key.</summary>
    public const int MaxKeyChars = 512;

    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static readonly XNamespace Rss1 = "http://purl.org/rss/1.0/";
    private static readonly XNamespace Media = "http://search.yahoo.com/mrss/";
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"];
    private static readonly string[] VideoExtensions = [".mp4", ".m4v", ".mov", ".webm"];

    public static ParsedFeed Parse(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var stream = new MemoryStream(bytes, writable: false);
        return Parse(stream);
    }

    public static ParsedFeed Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var root = Load(stream).Root ?? throw new FeedFormatException("the feed has no root element");
        if (root.Name == "rss")
        {
            return ParseRss(root);
        }

        if (root.Name == Atom + "feed")
        {
            return ParseAtom(root);
        }

        if (root.Name == Rdf + "RDF")
        {
            return ParseRss1(root);
        }

        throw new FeedFormatException($"not a feed: the root element is <{root.Name.LocalName}> in namespace '{root.Name.NamespaceName}'; expected RSS <rss>, Atom <feed> or RSS 1.0 <rdf:RDF>");
    }

    private static XDocument Load(Stream stream)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxDocumentCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };
        try
        {
            using var reader = XmlReader.Create(stream, settings);
            return XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FeedFormatException($"the feed is not well-formed XML, has a DTD (not allowed) or is too large: {e.Message}", e);
        }
    }

    private static ParsedFeed ParseRss(XElement rss)
    {
        var channel = rss.Element("channel") ?? throw new FeedFormatException("an RSS feed without <channel>");
        var link = FeedText.AbsoluteHttpUrl(Text(channel.Element("link")), null);
        var feedBase = link is null ? null : new Uri(link);
        var items = ReadItems(channel.Elements("item"), item => RssItem(item, feedBase), out var truncated);
        return new ParsedFeed(FeedFormat.Rss20, PlainTitle(Text(channel.Element("title")), isHtml: true), link, items, truncated);
    }

    private static FeedItem RssItem(XElement item, Uri? feedBase)
    {
        var guidElement = item.Element("guid");
        var guid = Text(guidElement);
        var rawLink = Text(item.Element("link"));
        var link = FeedText.AbsoluteHttpUrl(rawLink, feedBase);
        if (link is null && guid is not null && !string.Equals(Attribute(guidElement, "isPermaLink"), "false", StringComparison.OrdinalIgnoreCase))
        {
            link = FeedText.AbsoluteHttpUrl(guid, null);
        }

        var enclosures = item.Elements("enclosure").Select(e => new MediaRef(Attribute(e, "url"), Attribute(e, "type"), null));
        return Build(
            item,
            id: guid,
            link: link,
            rawLink: rawLink,
            title: PlainTitle(Text(item.Element("title")), isHtml: true),
            body: (Text(item.Element(Content + "encoded")) ?? Text(item.Element("description")), true),
            author: Text(item.Element("author")) ?? Text(item.Element(Dc + "creator")),
            published: FeedDates.Parse(Text(item.Element("pubDate"))) ?? FeedDates.Parse(Text(item.Element(Dc + "date"))),
            enclosures: enclosures,
            baseUri: link is null ? feedBase : new Uri(link));
    }

    private static ParsedFeed ParseAtom(XElement feed)
    {
        var link = FeedText.AbsoluteHttpUrl(Attribute(AlternateLink(feed), "href"), null);
        var feedBase = link is null ? null : new Uri(link);
        var feedAuthor = Text(feed.Element(Atom + "author")?.Element(Atom + "name"));
        var items = ReadItems(feed.Elements(Atom + "entry"), entry => AtomEntry(entry, feedBase, feedAuthor), out var truncated);
        return new ParsedFeed(FeedFormat.Atom10, AtomTitle(feed.Element(Atom + "title")), link, items, truncated);
    }

    private static FeedItem AtomEntry(XElement entry, Uri? feedBase, string? feedAuthor)
    {
        var rawLink = Attribute(AlternateLink(entry), "href");
        var link = FeedText.AbsoluteHttpUrl(rawLink, feedBase);
        var enclosures = entry.Elements(Atom + "link")
            .Where(l => string.Equals(Attribute(l, "rel"), "enclosure", StringComparison.OrdinalIgnoreCase))
            .Select(l => new MediaRef(Attribute(l, "href"), Attribute(l, "type"), null));
        var body = AtomText(entry.Element(Atom + "content")) ?? AtomText(entry.Element(Atom + "summary"));
        return Build(
            entry,
            id: Text(entry.Element(Atom + "id")),
            link: link,
            rawLink: rawLink,
            title: AtomTitle(entry.Element(Atom + "title")),
            body: body ?? (null, false),
            author: Text(entry.Element(Atom + "author")?.Element(Atom + "name")) ?? feedAuthor,
            published: FeedDates.Parse(Text(entry.Element(Atom + "published"))) ?? FeedDates.Parse(Text(entry.Element(Atom + "updated"))),
            enclosures: enclosures,
            baseUri: link is null ? feedBase : new Uri(link));
    }

    private static ParsedFeed ParseRss1(XElement rdf)
    {
        var channel = rdf.Element(Rss1 + "channel");
        var link = FeedText.AbsoluteHttpUrl(Text(channel?.Element(Rss1 + "link")), null);
        var feedBase = link is null ? null : new Uri(link);
        var items = ReadItems(rdf.Elements(Rss1 + "item"), item => Rss1Item(item, feedBase), out var truncated);
        return new ParsedFeed(FeedFormat.Rss10, PlainTitle(Text(channel?.Element(Rss1 + "title")), isHtml: true), link, items, truncated);
    }

    private static FeedItem Rss1Item(XElement item, Uri? feedBase)
    {
        var rawLink = Text(item.Element(Rss1 + "link"));
        var link = FeedText.AbsoluteHttpUrl(rawLink, feedBase);
        return Build(
            item,
            id: Attribute(item, Rdf + "about"),
            link: link,
            rawLink: rawLink,
            title: PlainTitle(Text(item.Element(Rss1 + "title")), isHtml: true),
            body: (Text(item.Element(Content + "encoded")) ?? Text(item.Element(Rss1 + "description")), true),
            author: Text(item.Element(Dc + "creator")),
            published: FeedDates.Parse(Text(item.Element(Dc + "date"))),
            enclosures: [],
            baseUri: link is null ? feedBase : new Uri(link));
    }

    private static List<FeedItem> ReadItems(IEnumerable<XElement> elements, Func<XElement, FeedItem> read, out bool truncated)
    {
        var items = new List<FeedItem>();
        truncated = false;
        foreach (var element in elements)
        {
            if (items.Count == MaxItems)
            {
                truncated = true;
                break;
            }

            items.Add(read(element));
        }

        return items;
    }

    private static FeedItem Build(
        XElement item,
        string? id,
        string? link,
        string? rawLink,
        string? title,
        (string? Text, bool IsHtml) body,
        string? author,
        DateTimeOffset? published,
        IEnumerable<MediaRef> enclosures,
        Uri? baseUri)
    {
        var message = body.Text is null ? string.Empty
            : body.IsHtml ? FeedText.ToPlainText(body.Text, MaxMessageChars)
            : FeedText.Collapse(body.Text, MaxMessageChars);
        var html = body.IsHtml && body.Text is not null ? FeedText.Truncate(body.Text, MaxHtmlChars) : null;

        var media = item.Descendants(Media + "content")
            .Select(m => new MediaRef(Attribute(m, "url"), Attribute(m, "type"), Attribute(m, "medium")))
            .ToList();
        var attached = enclosures.ToList();
        var image = FirstOfKind(media, "image", baseUri)
            ?? FirstOfKind(attached, "image", baseUri)
            ?? item.Descendants(Media + "thumbnail").Select(t => FeedText.AbsoluteHttpUrl(Attribute(t, "url"), baseUri)).FirstOrDefault(u => u is not null)
            ?? (html is null ? null : FeedText.AbsoluteHttpUrl(FeedText.FirstImageSource(html), baseUri));
        var video = FirstOfKind(media, "video", baseUri) ?? FirstOfKind(attached, "video", baseUri);

        return new FeedItem(
            Key(id, link ?? rawLink, title ?? message, published),
            link,
            title,
            message,
            html,
            AuthorName(author),
            image,
            video,
            published);
    }

    /// <summary>The id, else the link, else a hash of the title (or message) and the date; long ones hashed.</summary>
    private static string Key(string? id, string? link, string text, DateTimeOffset? published)
    {
        var key = id ?? link;
        if (key is null)
        {
            return Hash(text + "\n" + published?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        return key.Length <= MaxKeyChars ? key : Hash(key);
    }

    private static string Hash(string value) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string? FirstOfKind(List<MediaRef> candidates, string kind, Uri? baseUri) =>
        candidates.Where(m => KindOf(m) == kind).Select(m => FeedText.AbsoluteHttpUrl(m.Url, baseUri)).FirstOrDefault(u => u is not null);

    /// <summary>"image" or "video" from the MIME type, else the media:content medium, else the URL's extension.</summary>
    private static string? KindOf(MediaRef media)
    {
        if (!string.IsNullOrEmpty(media.Type))
        {
            return media.Type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? "image"
                : media.Type.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? "video"
                : null;
        }

        if (!string.IsNullOrEmpty(media.Medium))
        {
            return media.Medium.ToLowerInvariant() is "image" or "video" ? media.Medium.ToLowerInvariant() : null;
        }

        var path = Uri.TryCreate(media.Url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : media.Url ?? string.Empty;
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return ImageExtensions.Contains(extension) ? "image" : VideoExtensions.Contains(extension) ? "video" : null;
    }

    /// <summary>"jane@example.com (Jane Doe)", RSS's author form, becomes "Jane Doe".</summary>
    private static string? AuthorName(string? author)
    {
        if (author is null)
        {
            return null;
        }

        var open = author.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && author.EndsWith(')') && author.AsSpan(0, open).Contains('@'))
        {
            author = author[(open + 1)..^1];
        }

        var name = FeedText.Collapse(author, MaxAuthorChars);
        return name.Length > 0 ? name : null;
    }

    private static string? PlainTitle(string? title, bool isHtml)
    {
        if (title is null)
        {
            return null;
        }

        var plain = isHtml ? FeedText.ToPlainText(title, MaxTitleChars) : FeedText.Collapse(title, MaxTitleChars);
        return plain.Length > 0 ? plain : null;
    }

    private static string? AtomTitle(XElement? title) => AtomText(title) is { } text ? PlainTitle(text.Text, text.IsHtml) : null;

    /// <summary>An Atom text construct: its text and whether that is HTML (type html, xhtml or text/html).</summary>
    private static (string? Text, bool IsHtml)? AtomText(XElement? element)
    {
        if (element is null || Attribute(element, "src") is not null)
        {
            return null;
        }

        var type = (Attribute(element, "type") ?? "text").ToLowerInvariant();
        (string? Text, bool IsHtml)? result = type switch
        {
            "html" or "text/html" => (element.Value, true),
            "xhtml" or "application/xhtml+xml" => (string.Concat((element.Element(Xhtml + "div") ?? element).Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting))), true),
            "text" or "text/plain" => (element.Value, false),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(result?.Text) ? null : result;
    }

    private static XElement? AlternateLink(XElement parent) =>
        parent.Elements(Atom + "link").FirstOrDefault(l => (Attribute(l, "rel") ?? "alternate").Equals("alternate", StringComparison.OrdinalIgnoreCase));

    private static string? Text(XElement? element) =>
        element?.Value.Trim() is { Length: > 0 } text ? text : null;

    private static string? Attribute(XElement? element, XName name) =>
        element?.Attribute(name)?.Value.Trim() is { Length: > 0 } value ? value : null;

    private readonly record struct MediaRef(string? Url, string? Type, string? Medium);
}
