namespace Tessera.Server.Compat;

public enum ResponseFormat
{
    Json,
    Xml,
}

/// <summary>
/// Picks JSON or XML for an /api request and strips a <c>.json</c> / <c>.xml</c> suffix from the
/// last path segment before routing, so <c>/api/tags/12.xml</c> routes as <c>/api/tags/12</c>.
/// A suffix wins over <c>Accept</c>; JSON is the default.
/// </summary>
public sealed class ResponseFormatMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        ResponseFormat? format = null;
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            format = ResponseFormat.Json;
        }
        else if (path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
        {
            format = ResponseFormat.Xml;
        }

        if (format is not null && path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
        {
            context.Request.Path = path[..path.LastIndexOf('.')];
        }

        format ??= PrefersXml(context.Request) ? ResponseFormat.Xml : ResponseFormat.Json;
        context.Features.Set(new ResponseFormatFeature(format.Value));
        return next(context);
    }

    private static bool PrefersXml(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        var xml = accept.IndexOf("application/xml", StringComparison.OrdinalIgnoreCase);
        if (xml < 0)
        {
            xml = accept.IndexOf("text/xml", StringComparison.OrdinalIgnoreCase);
        }

        var json = accept.IndexOf("application/json", StringComparison.OrdinalIgnoreCase);
        return xml >= 0 && (json < 0 || xml < json);
    }
}

public sealed record ResponseFormatFeature(ResponseFormat Format)
{
    public static ResponseFormat Of(HttpContext context) =>
        context.Features.Get<ResponseFormatFeature>()?.Format ?? ResponseFormat.Json;
}
