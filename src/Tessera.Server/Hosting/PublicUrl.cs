using Microsoft.Extensions.Options;

namespace Tessera.Server.Hosting;

/// <summary><c>Tessera:PublicUrl</c>: the address users and websites reach this server at.</summary>
public sealed class PublicUrlOptions
{
    public const string Section = "Tessera";

    /// <summary>
    /// An absolute base URL (e.g. <c>https://ugc.example.com</c>) for links the server hands out
    /// (embed codes, invitation links). Unset: the request's own scheme and host, or
    /// <see cref="PublicUrl.Fallback"/> where there is no request (the admin verbs).
    /// </summary>
    public string? PublicUrl { get; set; }
}

/// <summary>Builds the absolute links the server hands out, from configuration or the request.</summary>
public sealed class PublicUrl(IOptions<PublicUrlOptions> options)
{
    /// <summary>The base of links made outside a request when <c>Tessera:PublicUrl</c> is unset: the default <c>serve</c> address.</summary>
    public const string Fallback = "http://127.0.0.1:5080";

    /// <summary>The base URL (no trailing slash) for links answered to <paramref name="request"/>, or outside a request when it is null.</summary>
    public string Base(HttpRequest? request)
    {
        if (options.Value.PublicUrl is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }

        return request is null ? Fallback : $"{request.Scheme}://{request.Host}{request.PathBase}";
    }
}
