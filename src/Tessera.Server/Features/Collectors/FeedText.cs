using System.Net;
using System.Text;

namespace Tessera.Server.Features.Collectors;

/// <summary>Plain text, image sources and URLs out of the HTML feeds carry. Linear scans, no regular expressions.</summary>
internal static class FeedText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img", "li", "ol", "p", "pre", "section", "table", "td",
        "th", "tr", "ul",
    };

    /// <summary>
    /// HTML to one line of plain text: comments, script and style dropped, tags removed (block tags
    /// leave a space), entities decoded, control characters and runs of whitespace made one space.
    /// </summary>
    public static string ToPlainText(string html, int maxChars)
    {
        var text = new StringBuilder(Math.Min(html.Length, maxChars * 2));
        var i = 0;
        while (i < html.Length)
        {
            if (html[i] != '<' || i + 1 >= html.Length || !StartsTag(html[i + 1]))
            {
                text.Append(html[i]);
                i++;
                continue;
            }

            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var close = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = close < 0 ? html.Length : close + 3;
                continue;
            }

            var end = TagEnd(html, i);
            var name = TagName(html, i);
            var closing = html[i + 1] == '/';
            i = end;
            if (!closing && (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase)))
            {
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? html.Length : TagEnd(html, close);
                text.Append(' ');
            }
            else if (BlockTags.Contains(name))
            {
                text.Append(' ');
            }
        }

        return Collapse(WebUtility.HtmlDecode(text.ToString()), maxChars);
    }

    /// <summary>Whitespace and control characters made single spaces, trimmed, cut at <paramref name="maxChars"/>.</summary>
    public static string Collapse(string value, int maxChars)
    {
        var result = new StringBuilder(Math.Min(value.Length, maxChars));
        var pendingSpace = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                result.Append(' ');
                pendingSpace = false;
            }

            result.Append(c);
            if (result.Length > maxChars)
            {
                break;
            }
        }

        return Truncate(result.ToString(), maxChars);
    }

    /// <summary>At most <paramref name="maxChars"/> characters, never ending in half a surrogate pair.</summary>
    public static string Truncate(string value, int maxChars)
    {
        if (value.Length <= maxChars)
        {
            return value;
        }

        var cut = char.IsHighSurrogate(value[maxChars - 1]) ? maxChars - 1 : maxChars;
        return value[..cut];
    }

    /// <summary>The <c>src</c> of the first <c>img</c> tag, entities decoded; null when there is none.</summary>
    public static string? FirstImageSource(string html)
    {
        var i = 0;
        while ((i = html.IndexOf("<img", i, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var end = TagEnd(html, i);
            if (i + 4 < html.Length && (char.IsWhiteSpace(html[i + 4]) || html[i + 4] == '/'))
            {
                if (Attribute(html.AsSpan(i + 4, end - i - 4), "src") is { Length: > 0 } src)
                {
                    return WebUtility.HtmlDecode(src).Trim();
                }
            }

            i = end;
        }

        return null;
    }

    /// <summary>
    /// An absolute http(s) URL of at most 2,048 characters, resolving a relative one against
    /// <paramref name="baseUri"/>; null for anything else.
    /// </summary>
    public static string? AbsoluteHttpUrl(string? value, Uri? baseUri)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 2048)
        {
            return null;
        }

        Uri? uri;
        if (baseUri is not null)
        {
            Uri.TryCreate(baseUri, trimmed, out uri);
        }
        else if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            Uri.TryCreate("https:" + trimmed, UriKind.Absolute, out uri);
        }
        else
        {
            Uri.TryCreate(trimmed, UriKind.Absolute, out uri);
        }

        return uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.AbsoluteUri.Length <= 2048
            ? uri.AbsoluteUri
            : null;
    }

    private static bool StartsTag(char c) => char.IsAsciiLetter(c) || c is '/' or '!' or '?';

    /// <summary>The index after the <c>&gt;</c> that ends the tag starting at <paramref name="start"/>; quoted values may hold <c>&gt;</c>.</summary>
    private static int TagEnd(string html, int start)
    {
        char? quote = null;
        for (var i = start + 1; i < html.Length; i++)
        {
            var c = html[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i + 1;
            }
        }

        return html.Length;
    }

    private static string TagName(string html, int start)
    {
        var i = start + 1;
        if (i < html.Length && html[i] == '/')
        {
            i++;
        }

        var from = i;
        while (i < html.Length && char.IsAsciiLetterOrDigit(html[i]))
        {
            i++;
        }

        return html[from..i];
    }

    /// <summary>The value of attribute <paramref name="name"/> in a tag's attribute text, or null.</summary>
    private static string? Attribute(ReadOnlySpan<char> tag, string name)
    {
        var i = 0;
        while (i < tag.Length)
        {
            while (i < tag.Length && (char.IsWhiteSpace(tag[i]) || tag[i] == '/'))
            {
                i++;
            }

            var nameStart = i;
            while (i < tag.Length && !char.IsWhiteSpace(tag[i]) && tag[i] is not ('=' or '>' or '/'))
            {
                i++;
            }

            var attribute = tag[nameStart..i];
            if (attribute.IsEmpty)
            {
                return null;
            }

            while (i < tag.Length && char.IsWhiteSpace(tag[i]))
            {
                i++;
            }

            ReadOnlySpan<char> value = default;
            if (i < tag.Length && tag[i] == '=')
            {
                i++;
                while (i < tag.Length && char.IsWhiteSpace(tag[i]))
                {
                    i++;
                }

                if (i < tag.Length && tag[i] is '"' or '\'')
                {
                    var quote = tag[i];
                    var close = tag[(i + 1)..].IndexOf(quote);
                    var length = close < 0 ? tag.Length - i - 1 : close;
                    value = tag.Slice(i + 1, length);
                    i += length + 2;
                }
                else
                {
                    var from = i;
                    while (i < tag.Length && !char.IsWhiteSpace(tag[i]) && tag[i] != '>')
                    {
                        i++;
                    }

                    value = tag[from..i];
                }
            }

            if (attribute.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value.ToString();
            }
        }

        return null;
    }
}
