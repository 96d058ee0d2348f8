using System.Net;
using System.Text;
using System.Text.Json;

namespace Tessera.Tests.Infrastructure;

/// <summary>
/// Calls the API the way the Stackla PHP SDK does: <c>access_token</c> and <c>stack</c> first in the
/// query string of every request, form bodies for POST, data in the query string for PUT.
/// </summary>
public sealed class ApiClient(HttpClient http, string stack, string token, int stackId = 0)
{
    public HttpClient Http { get; } = http;

    public string Stack { get; } = stack;

    public string Token { get; } = token;

    public int StackId { get; } = stackId;

    /// <summary>The stack's "Latest" filter (all published content, newest first); 0 when unknown.</summary>
    public int LatestFilterId { get; init; }

    /// <summary>The stack's "UGC Post Feed" term (sta_feed / post, moderation publish); 0 when unknown.</summary>
    public int PostTermId { get; init; }

    /// <summary>The public id of the stack's Content API plugin as the stack was created with it; empty when unknown.</summary>
    public string ContentApiPluginId { get; init; } = string.Empty;

    /// <summary>
    /// <c>/api/{path}?access_token=…&amp;stack=…[&amp;query]</c>: the credentials first, as the SDK
    /// writes them; a query inside <paramref name="path"/> (<c>widgets/3?action=clone</c>) follows them.
    /// </summary>
    public string Url(string path, string? query = null)
    {
        var q = path.IndexOf('?', StringComparison.Ordinal);
        var inPath = q < 0 ? string.Empty : "&" + path[(q + 1)..];
        var resource = q < 0 ? path : path[..q];
        return $"/api/{resource}?access_token={Token}&stack={Stack}{inPath}" + (string.IsNullOrEmpty(query) ? string.Empty : "&" + query);
    }

    public Task<ApiResponse> GetAsync(string path, string? query = null) => SendAsync(HttpMethod.Get, Url(path, query));

    /// <summary>POST with an urlencoded form body, as the SDK's Guzzle client sends it.</summary>
    public Task<ApiResponse> PostFormAsync(string path, string form, string? query = null) =>
        SendAsync(HttpMethod.Post, Url(path, query), new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));

    /// <summary>PUT with all data in the query string and no body.</summary>
    public Task<ApiResponse> PutQueryAsync(string path, string query) => SendAsync(HttpMethod.Put, Url(path, query));

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, Url(path));

    /// <summary>A raw JSON body without a Content-Type header, as the SDK sends widget bodies.</summary>
    public Task<ApiResponse> SendRawJsonAsync(HttpMethod method, string path, string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        return SendAsync(method, Url(path), content);
    }

    /// <summary>Creates a tag and returns its id.</summary>
    public async Task<int> CreateTagAsync(string name, string extra = "")
    {
        var response = await PostFormAsync("tags", $"tag={Uri.EscapeDataString(name)}&type=content&publicly_visible=1{extra}");
        response.AssertOk();
        return response.Data.GetProperty("id").GetInt32();
    }

    /// <summary>
    /// POSTs a tile as the SDK's <c>Tile::create</c> does: <c>tiles?term_id={id}&amp;access_token=…&amp;stack=…</c>
    /// (the term before the credentials), or <c>tiles?&amp;access_token=…</c> without a term; form body.
    /// </summary>
    public Task<ApiResponse> PostTileAsync(string form, int? termId = null)
    {
        var query = termId is null ? string.Empty : $"term_id={termId}";
        var url = $"/api/tiles?{query}&access_token={Token}&stack={Stack}";
        return SendAsync(HttpMethod.Post, url, new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));
    }

    /// <summary>Posts a tile through the stack's post term (or <paramref name="termId"/>) and returns the stored tile.</summary>
    public async Task<JsonElement> CreateTileAsync(string form, int? termId = null)
    {
        var response = await PostTileAsync(form, termId ?? PostTermId);
        response.AssertOk();
        return response.Data;
    }

    /// <summary>Creates a term from a form body and returns its id.</summary>
    public async Task<int> CreateTermAsync(string form)
    {
        var response = await PostFormAsync("terms", form);
        response.AssertOk();
        return response.Data.GetProperty("id").GetInt32();
    }

    /// <summary>Creates a filter from a form body and returns its id.</summary>
    public async Task<int> CreateFilterAsync(string form)
    {
        var response = await PostFormAsync("filters", form);
        response.AssertOk();
        return response.Data.GetProperty("id").GetInt32();
    }

    /// <summary>The ids of the tiles a filter's content returns for <paramref name="query"/>, in order.</summary>
    public async Task<string[]> ContentIdsAsync(int filterId, string? query = null)
    {
        var response = await GetAsync($"filters/{filterId}/content", query);
        response.AssertOk();
        return [.. response.Data.EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];
    }

    public async Task<ApiResponse> SendAsync(HttpMethod method, string url, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        configure?.Invoke(request);
        using var response = await Http.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }
}

/// <summary>A response read whole: status, headers and the body (parsed when it is JSON).</summary>
public sealed class ApiResponse
{
    private ApiResponse(HttpStatusCode status, string body, string? contentType, Dictionary<string, string> headers)
    {
        Status = status;
        Body = body;
        ContentType = contentType;
        Headers = headers;
        if (contentType?.Contains("json", StringComparison.Ordinal) == true)
        {
            Json = JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    public HttpStatusCode Status { get; }

    public string Body { get; }

    public string? ContentType { get; }

    public Dictionary<string, string> Headers { get; }

    public JsonElement Json { get; }

    public JsonElement Data => Json.GetProperty("data");

    public JsonElement Errors => Json.GetProperty("errors");

    /// <summary>The first error object.</summary>
    public JsonElement Error => Errors[0];

    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType, headers);
    }

    public void AssertOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        Assert.Equal(0, Errors.GetArrayLength());
    }

    /// <summary>Asserts an error envelope: status, <c>error_code</c>, <c>message_id</c>, and <c>data: []</c>.</summary>
    public void AssertError(HttpStatusCode status, int errorCode, string? messageId = null)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.Equal(JsonValueKind.Array, Data.ValueKind);
        Assert.Equal(0, Data.GetArrayLength());
        Assert.True(Errors.GetArrayLength() > 0, Body);
        Assert.Equal((int)status, Error.GetProperty("code").GetInt32());
        Assert.Equal(errorCode, Error.GetProperty("error_code").GetInt32());
        if (messageId is not null)
        {
            Assert.Equal(messageId, Error.GetProperty("message_id").GetString());
        }
    }
}
