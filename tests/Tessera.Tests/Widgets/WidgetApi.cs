using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Widgets;

/// <summary>Widget calls as the PHP SDK makes them: raw JSON bodies without a Content-Type, encoded like PHP's <c>json_encode</c>.</summary>
internal static class WidgetApi
{
    /// <summary>
    /// JSON as PHP's <c>json_encode</c> writes it by default: slashes escaped as <c>\/</c> and non-ASCII
    /// as <c>\uXXXX</c> (System.Text.Json's default encoder escapes non-ASCII; slashes only occur inside strings).
    /// </summary>
    public static string PhpJson(JsonNode node) => node.ToJsonString().Replace("/", "\\/", StringComparison.Ordinal);

    public static Task<ApiResponse> PostJsonAsync(this ApiClient api, string path, string json) => api.SendRawJsonAsync(HttpMethod.Post, path, json);

    public static Task<ApiResponse> PutJsonAsync(this ApiClient api, string path, string json) => api.SendRawJsonAsync(HttpMethod.Put, path, json);

    /// <summary>Creates a widget from a <c>style</c> object literal and returns it as the API answered.</summary>
    public static async Task<JsonElement> CreateWidgetAsync(this ApiClient api, string style, int? filterId = null, string extra = "")
    {
        var response = await api.PostJsonAsync("widgets", $$$"""{"style":{{{style}}},"filter_id":{{{filterId ?? api.LatestFilterId}}}{{{extra}}} }""");
        response.AssertOk();
        return response.Data;
    }

    public static async Task<JsonElement> GetWidgetAsync(this ApiClient api, int id)
    {
        var response = await api.GetAsync($"widgets/{id}");
        response.AssertOk();
        return response.Data;
    }

    public static int Id(this JsonElement widget) => widget.GetProperty("id").GetInt32();

    public static JsonElement Style(this JsonElement widget) => widget.GetProperty("style");

    public static string Name(this JsonElement widget) => widget.GetProperty("style").GetProperty("name").GetString()!;

    /// <summary>Asserts a 400 widget envelope whose errors include one for <paramref name="field"/> (its message starts with the field name).</summary>
    public static void AssertFieldError(this ApiResponse response, string field, string? messageId = null)
    {
        response.AssertError(HttpStatusCode.BadRequest, 1040400);
        Assert.True(
            response.Errors.EnumerateArray().Any(e => e.GetProperty("message").GetString()!.StartsWith(field + ":", StringComparison.Ordinal)
                && (messageId is null || e.GetProperty("message_id").GetString() == messageId)),
            $"no {messageId ?? "error"} for '{field}' in {response.Body}");
    }
}
