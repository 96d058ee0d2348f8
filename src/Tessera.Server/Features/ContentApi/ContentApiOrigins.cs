namespace Tessera.Server.Features.ContentApi;

/// <summary>
/// The origins a plugin lets browsers read it from (CORS). An entry is a full origin
/// (<c>https://shop.example.com</c>, scheme and port must match), a host name (<c>example.com</c>,
/// any scheme or port) or a wildcard (<c>*.example.com</c>, subdomains only). No entries, or
/// <c>*</c>, allows every origin.
/// </summary>
public static class ContentApiOrigins
{
    /// <summary>The canonical form of an entry (lower case, no trailing slash), or null when it is none of the three forms.</summary>
    public static string? Normalize(string entry)
    {
        var text = entry.Trim().ToLowerInvariant();
        if (text == "*")
        {
            return text;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
                ? uri.GetLeftPart(UriPartial.Authority)
                : null;
        }

        var host = text.StartsWith("*.", StringComparison.Ordinal) ? text[2..] : text;
        return Uri.CheckHostName(host) == UriHostNameType.Dns && !host.EndsWith('.') && !host.Contains('_', StringComparison.Ordinal) ? text : null;
    }

    public static bool AllowsAny(IReadOnlyCollection<string> entries) => entries.Count == 0 || entries.Contains("*");

    /// <summary>Whether a browser's <c>Origin</c> header names an origin the entries allow.</summary>
    public static bool Allows(IReadOnlyCollection<string> entries, string? origin)
    {
        if (AllowsAny(entries))
        {
            return true;
        }

        if (string.IsNullOrEmpty(origin) || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        var canonical = uri.GetLeftPart(UriPartial.Authority);
        var host = uri.Host;
        foreach (var entry in entries)
        {
            var allowed = entry.Contains("://", StringComparison.Ordinal) ? entry == canonical
                : entry.StartsWith("*.", StringComparison.Ordinal) ? host.EndsWith(entry[1..], StringComparison.Ordinal)
                : host == entry;
            if (allowed)
            {
                return true;
            }
        }

        return false;
    }
}
