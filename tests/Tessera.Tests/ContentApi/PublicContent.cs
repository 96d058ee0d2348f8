using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.ContentApi;

/// <summary>
/// Reads the public Content API (<c>/content_api/{pluginId}</c>) as a website does: no credentials,
/// perhaps an <c>Origin</c> or <c>If-None-Match</c> header.
/// </summary>
internal static class PublicContent
{
    /// <summary>The plugin's own /api/contentapi error code for 400 (resource 11).</summary>
    public const int SettingsInvalid = 1110400;

    public const int NotFound = 1110404;

    public static string Path(string pluginId, string? query = null) =>
        $"/content_api/{pluginId}" + (string.IsNullOrEmpty(query) ? string.Empty : "?" + query);

    /// <summary><c>GET /content_api/{the stack's plugin id}?{query}</c>.</summary>
    public static Task<ApiResponse> PublicContentAsync(this ApiClient api, string? query = null, Action<HttpRequestMessage>? configure = null) =>
        api.PublicContentOfAsync(api.ContentApiPluginId, query, configure);

    /// <summary><c>GET /content_api/{pluginId}?{query}</c>.</summary>
    public static Task<ApiResponse> PublicContentOfAsync(this ApiClient api, string pluginId, string? query = null, Action<HttpRequestMessage>? configure = null) =>
        api.SendAsync(HttpMethod.Get, Path(pluginId, query), configure: configure);

    /// <summary>The ids the stack's plugin serves for <paramref name="query"/>, in order.</summary>
    public static async Task<string[]> PublicIdsAsync(this ApiClient api, string? query = null) => Ids(await api.PublicContentAsync(query));

    /// <summary>The tile ids of a 200 answer, in order.</summary>
    public static string[] Ids(ApiResponse response)
    {
        response.AssertOk();
        return [.. response.Data.EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];
    }

    public static Action<HttpRequestMessage> Header(string name, string value) =>
        request => Assert.True(request.Headers.TryAddWithoutValidation(name, value));

    public static string ETagOf(ApiResponse response)
    {
        Assert.True(response.Headers.TryGetValue("ETag", out var etag), "no ETag header");
        return etag!;
    }

    public static string? HeaderOf(ApiResponse response, string name) => response.Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Asserts the 404 a missing, rotated-away or disabled plugin gets: a JSON envelope with no tiles.</summary>
    public static void AssertPluginNotFound(ApiResponse response)
    {
        Assert.Equal("application/json", response.ContentType);
        response.AssertError(HttpStatusCode.NotFound, NotFound);
    }

    /// <summary>
    /// Stores <paramref name="count"/> published tiles one minute apart (straight into the database, for
    /// speed) and returns their ids newest first, the order the plugin serves them in.
    /// </summary>
    public static async Task<string[]> SeedNewestFirstAsync(TesseraFactory factory, int stackId, int count, params int[] tagIds)
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - (count * 60);
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add(await TileSeeder.SeedAsync(factory, stackId, sourceCreatedAt: start + (i * 60), tagIds: tagIds));
        }

        ids.Reverse();
        return [.. ids];
    }
}
