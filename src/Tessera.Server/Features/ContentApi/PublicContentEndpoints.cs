using Tessera.Server.Caching;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.ContentApi;

/// <summary>
/// The public Content API (decisions §4): <c>GET /content_api/{pluginId}</c>, without authentication
/// or rate limit, served from <see cref="PageCache"/> with an ETag, CDN caching headers and CORS per
/// the plugin's allowed domains; <c>OPTIONS</c> answers browsers' preflight requests.
/// </summary>
public static class PublicContentEndpoints
{
    private const string JsonContentType = "application/json";

    private static readonly byte[] NotFoundBody = ContentPageBuilder.Serialize(new PublicContentBody([],
        [ApiError.Create(ApiResource.ContentApi, StatusCodes.Status404NotFound, "not_found", "no Content API plugin has this id")]));

    public static void MapPublicContent(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/content_api/{pluginId}", GetContent).WithTags("Content API (public)")
            .WithSummary("Published tiles of a stack for websites: limit, page, filter_id, tags, brands, categories");
        routes.MapMethods("/content_api/{pluginId}", [HttpMethods.Options], Preflight).WithTags("Content API (public)")
            .WithSummary("CORS preflight");
    }

    public static async Task GetContent(
        string pluginId, HttpContext context, PluginDirectory plugins, PageCache pages, IServiceScopeFactory scopes, TimeProvider time, CancellationToken ct)
    {
        var plugin = await plugins.FindAsync(pluginId, ct);
        var response = context.Response;
        if (plugin is null)
        {
            await WriteNotFoundAsync(context);
            return;
        }

        var query = ContentQuery.Parse(context.Request.Query);
        var baseUrl = TileReader.BaseUrl(context.Request);
        var page = await pages.GetAsync(query.CacheKey(plugin.PluginId, baseUrl), plugin.Generation, async generation =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            return await ContentPageBuilder.BuildAsync(db, plugin, query, baseUrl, generation, time.GetUtcNow(), CancellationToken.None);
        }, ct);

        AddCorsHeaders(context, plugin.AllowedDomains);
        response.Headers.ETag = page.ETag;
        response.Headers.CacheControl = page.CacheControl;
        response.Headers.Age = page.AgeAt(time.GetUtcNow());
        if (page.MatchesAny(context.Request.Headers.IfNoneMatch))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = JsonContentType;
        response.ContentLength = page.Body.Length;
        await response.Body.WriteAsync(page.Body, ct);
    }

    public static async Task Preflight(string pluginId, HttpContext context, PluginDirectory plugins, CancellationToken ct)
    {
        var plugin = await plugins.FindAsync(pluginId, ct);
        if (plugin is null)
        {
            await WriteNotFoundAsync(context);
            return;
        }

        var headers = context.Response.Headers;
        if (AddCorsHeaders(context, plugin.AllowedDomains))
        {
            headers.AccessControlAllowMethods = "GET, OPTIONS";
            headers.AccessControlAllowHeaders = "Accept, Content-Type, If-None-Match";
            headers.AccessControlMaxAge = "86400";
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// <c>Access-Control-Allow-Origin</c>: <c>*</c> when every origin is allowed, else the request's
    /// origin if allowed (with <c>Vary: Origin</c> for shared caches either way). False when refused.
    /// </summary>
    private static bool AddCorsHeaders(HttpContext context, IReadOnlyList<string> allowedDomains)
    {
        var headers = context.Response.Headers;
        if (ContentApiOrigins.AllowsAny(allowedDomains))
        {
            headers.AccessControlAllowOrigin = "*";
            return true;
        }

        headers.Vary = "Origin";
        var origin = context.Request.Headers.Origin.ToString();
        if (!ContentApiOrigins.Allows(allowedDomains, origin))
        {
            return false;
        }

        headers.AccessControlAllowOrigin = origin;
        return true;
    }

    private static Task WriteNotFoundAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status404NotFound;
        response.ContentType = JsonContentType;
        response.Headers.CacheControl = "no-store";
        response.Headers.AccessControlAllowOrigin = "*";
        response.ContentLength = NotFoundBody.Length;
        return response.Body.WriteAsync(NotFoundBody, context.RequestAborted).AsTask();
    }
}
