using System.Text.Encodings.Web;

namespace Tessera.Server.Hosting;

/// <summary>
/// A small self-contained HTML page (invitations, OAuth login and consent): no scripts, no framing,
/// not cached, forms post only to this server. <paramref name="body"/> is HTML: encode every value
/// put into it with <see cref="Encode"/>.
/// </summary>
public sealed class HtmlPage(string title, string body, int status) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";
        response.Headers["X-Frame-Options"] = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.WriteAsync($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Encode(title)}} · Tessera</title>
            <style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input{display:block;width:100%;padding:.4rem;margin-top:.2rem}.problem{color:#a00}</style>
            </head><body><h1>{{Encode(title)}}</h1>
            {{body}}
            </body></html>
            """, httpContext.RequestAborted);
    }

    public static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
