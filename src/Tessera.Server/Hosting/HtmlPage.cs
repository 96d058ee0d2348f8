using System.Text;
using System.Text.Encodings.Web;

namespace Tessera.Server.Hosting;

/// <summary>
/// A small self-contained HTML page (invitations, OAuth sign-in and consent, the OEM entry): no
/// script, no framing, not cached, forms post only to this server (and to
/// <paramref name="formOrigin"/> when a form's answer redirects there). <paramref name="body"/> is
/// HTML: encode every value put into it with <see cref="Encode"/>.
/// </summary>
public sealed class HtmlPage(int status, string title, string body, string? formOrigin = null) : IResult, IStatusCodeHttpResult
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0}
        main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 1px 4px #0002}
        h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .2rem}
        input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
        button{margin-top:1.2rem;padding:.5rem 1.2rem;font-size:1rem;margin-right:.5rem}
        .error{color:#a4000f;background:#fdecee;padding:.6rem;border-radius:.3rem}.muted{color:#5a6272;font-size:.9rem}
        """;

    public int? StatusCode => status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        SetSecurityHeaders(response, formOrigin);
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        var html = $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{Encode(title)} · Tessera</title><style>{Style}</style></head><body><main>{body}</main></body></html>";
        var bytes = Encoding.UTF8.GetBytes(html);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }

    /// <summary>The headers of every page (and of the OAuth flow's redirects).</summary>
    public static void SetSecurityHeaders(HttpResponse response, string? formOrigin = null)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" + (formOrigin is null ? string.Empty : " " + formOrigin)
            + "; frame-ancestors 'none'; base-uri 'none'";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }

    public static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
