using System.Globalization;
using System.Text.Encodings.Web;

namespace Tessera.Server.Features.Widgets;

/// <summary>
/// The classic (gen 2) embed code every widget read returns (reference §2.5.2): a
/// <c>div.stackla-widget</c> naming the widget by id and public hash, and the loader script at
/// <see cref="LoaderPath"/> on this server. The loader URL is a contract: pages keep the snippet
/// they pasted, so it must not move.
/// </summary>
public static class EmbedCode
{
    /// <summary>Where this server serves the widget loader, below its public base URL.</summary>
    public const string LoaderPath = "/widgets/embed.js";

    /// <summary>The cache TTL (seconds) the snippet asks the loader for (Stackla's default).</summary>
    public const int TtlSeconds = 60;

    /// <summary>The snippet for widget <paramref name="id"/> with public hash <paramref name="guid"/>, loader under <paramref name="baseUrl"/>.</summary>
    public static string For(int id, string guid, string baseUrl)
    {
        var html = HtmlEncoder.Default;
        var dataId = html.Encode(id.ToString(CultureInfo.InvariantCulture));
        return $"<div class=\"stackla-widget\" data-id=\"{dataId}\" data-hash=\"{html.Encode(guid)}\" data-ttl=\"{TtlSeconds}\" "
            + $"style=\"width: 100%; overflow: hidden;\"></div><script src=\"{html.Encode(baseUrl + LoaderPath)}\" async></script>";
    }
}
