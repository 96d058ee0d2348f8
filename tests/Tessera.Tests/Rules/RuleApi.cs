using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Rules;

/// <summary>Calls of the Automation Rules API, with JSON bodies as its documentation sends them.</summary>
internal static class RuleApi
{
    /// <summary>Sends a JSON body without a Content-Type (the compat layer sniffs it).</summary>
    public static Task<ApiResponse> SendRuleAsync(this ApiClient api, HttpMethod method, string path, string json) =>
        api.SendRawJsonAsync(method, path, json);

    /// <summary>Creates a rule from a trigger and an action array (JSON texts) and returns its id.</summary>
    public static async Task<int> CreateRuleAsync(this ApiClient api, string trigger, string action, bool enabled = true, string name = "Rule")
    {
        var response = await api.SendRuleAsync(HttpMethod.Post, "tilerules",
            $$"""{"name": "{{name}}", "trigger": {{trigger}}, "action": {{action}}, "enabled": {{(enabled ? 1 : 0)}}, "type": "tile"}""");
        response.AssertOk();
        return response.Data.GetProperty("id").GetInt32();
    }

    public static Task<ApiResponse> PreviewAsync(this ApiClient api, int ruleId) =>
        api.SendAsync(HttpMethod.Post, api.Url($"tilerules/{ruleId}/preview"));

    /// <summary>Starts an apply job and waits for the rule's latest job to finish; returns the finished job.</summary>
    public static async Task<JsonElement> ApplyAndWaitAsync(this ApiClient api, int ruleId)
    {
        (await api.SendAsync(HttpMethod.Put, api.Url($"tilerules/{ruleId}/apply"))).AssertOk();
        return await api.WaitForJobAsync(ruleId);
    }

    /// <summary>Polls <c>GET …/apply</c> until the rule's latest job has finished (at most 30 s); returns it.</summary>
    public static async Task<JsonElement> WaitForJobAsync(this ApiClient api, int ruleId)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var job = await api.GetAsync($"tilerules/{ruleId}/apply");
            job.AssertOk();
            var status = job.Data.GetProperty("status").GetString();
            if (status is "done" or "failed")
            {
                return job.Data;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the apply job did not finish in 30 s: {job.Body}");
            await Task.Delay(50);
        }
    }

    public static async Task<JsonElement> GetTileAsync(this ApiClient api, string tileId)
    {
        var response = await api.GetAsync($"tiles/{tileId}");
        response.AssertOk();
        return response.Data;
    }

    public static string[] Strings(this JsonElement array) => [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())];

    public static int[] Ints(this JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt32())];

    /// <summary>Asserts a 400 whose errors include one for <paramref name="field"/> (its message starts with the field name).</summary>
    public static void AssertFieldError(this ApiResponse response, string field, string? messageId = null)
    {
        response.AssertError(HttpStatusCode.BadRequest, 1090400);
        Assert.True(
            response.Errors.EnumerateArray().Any(e => e.GetProperty("message").GetString()!.StartsWith(field + ":", StringComparison.Ordinal)
                && (messageId is null || e.GetProperty("message_id").GetString() == messageId)),
            $"no {messageId ?? "error"} for '{field}' in {response.Body}");
    }

    /// <summary>Stores <paramref name="count"/> tiles of a stack, oldest first (text tiles of the twitter network; every third an image).</summary>
    public static async Task<List<string>> SeedManyAsync(TesseraFactory factory, int stackId, int count)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add(await TileSeeder.SeedAsync(factory, stackId, media: i % 3 == 0 ? "image" : "text"));
        }

        return ids;
    }
}
