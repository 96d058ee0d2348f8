using System.Globalization;
using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Rules;

/// <summary><c>/apply</c> runs a rule over stored tiles in the background; <c>/preview</c> reports what it would do and changes nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class RuleApplyTests(TesseraFactory factory)
{
    private const string Image = "image_url=https%3A%2F%2Fcdn.example%2Fa.jpg";

    [Fact]
    public async Task Apply_changes_the_matching_stored_tiles_and_reports_its_progress()
    {
        var api = await factory.NewStackClientAsync();
        var featured = await api.CreateTagAsync("Featured");
        var first = await PostAsync(api, $"message=one&{Image}");
        var second = await PostAsync(api, $"message=two&{Image}");
        var text = await PostAsync(api, "message=three");
        var queued = await PostAsync(api, $"message=four&{Image}&status=queued");
        // Disabled: apply runs it all the same.
        var ruleId = await api.CreateRuleAsync("""{"media": "image"}""", $$"""[{"type": "$addToSet", "field": "tags", "value": [{{featured}}]}]""", enabled: false);

        var job = await api.ApplyAndWaitAsync(ruleId);
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(ruleId, job.GetProperty("rule_id").GetInt32());
        Assert.Equal(4, job.GetProperty("total").GetInt32());
        Assert.Equal(4, job.GetProperty("processed").GetInt32());
        Assert.Equal(3, job.GetProperty("matched").GetInt32());
        Assert.Equal(3, job.GetProperty("changed").GetInt32());
        Assert.True(job.GetProperty("created_at").GetInt64() > 0);
        Assert.True(job.GetProperty("finished_at").GetInt64() >= job.GetProperty("created_at").GetInt64());

        var tile = await api.GetTileAsync(first);
        Assert.Equal([featured.ToString(CultureInfo.InvariantCulture)], tile.GetProperty("tags").Strings());
        Assert.Equal([ruleId], tile.GetProperty("rules").Ints());
        Assert.Equal(0, (await api.GetTileAsync(text)).GetProperty("rules").GetArrayLength());
        Assert.Equal([ruleId], (await api.GetTileAsync(queued)).GetProperty("rules").Ints());

        // Filter content reads the new tags (published tiles only).
        var filter = await api.CreateFilterAsync($"name=Featured&tags={featured}");
        Assert.Equal([second, first], await api.ContentIdsAsync(filter));

        // A second run matches the same tiles and changes none; the rule id is recorded once.
        var again = await api.ApplyAndWaitAsync(ruleId);
        Assert.NotEqual(job.GetProperty("id").GetInt32(), again.GetProperty("id").GetInt32());
        Assert.Equal(3, again.GetProperty("matched").GetInt32());
        Assert.Equal(0, again.GetProperty("changed").GetInt32());
        Assert.Equal([ruleId], (await api.GetTileAsync(first)).GetProperty("rules").Ints());
    }

    [Fact]
    public async Task Apply_walks_a_large_stack_in_batches_and_publishes_changes_to_the_change_feed()
    {
        var api = await factory.NewStackClientAsync();
        var ids = await RuleApi.SeedManyAsync(factory, api.StackId, 450);
        var ruleId = await api.CreateRuleAsync("""{"media": "image"}""", """[{"type": "$set", "field": "stackla_sentiment_score", "value": 0.5}]""");
        var feedBefore = await api.CursorAfterAsync(ids.Count);

        var job = await api.ApplyAndWaitAsync(ruleId);
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(450, job.GetProperty("processed").GetInt32());
        Assert.Equal(150, job.GetProperty("matched").GetInt32());
        Assert.Equal(150, job.GetProperty("changed").GetInt32());
        Assert.Equal(0.5, (await api.GetTileAsync(ids[0])).GetProperty("stackla_sentiment_score").GetDouble());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await api.GetTileAsync(ids[1])).GetProperty("stackla_sentiment_score").ValueKind);

        // Each changed published tile is an "upserted" entry of the change feed: the saves went through the usual hooks.
        var (entries, _) = await api.ReadChangesAtLeastAsync(feedBefore, 150);
        Assert.Equal(150, entries.Count);
        Assert.All(entries, entry => Assert.Equal(0.5, entry.GetProperty("tile").GetProperty("stackla_sentiment_score").GetDouble()));
    }

    [Fact]
    public async Task Apply_answers_with_the_job_and_get_returns_the_latest_one()
    {
        var api = await factory.NewStackClientAsync();
        var ruleId = await api.CreateRuleAsync("{}", """[{"type": "$set", "field": "status", "value": "queued"}]""");
        (await api.GetAsync($"tilerules/{ruleId}/apply")).AssertError(HttpStatusCode.NotFound, 1090404, "rule:job_not_found");

        var started = await api.SendAsync(HttpMethod.Post, api.Url($"tilerules/{ruleId}/apply"));
        started.AssertOk();
        Assert.Contains(started.Data.GetProperty("status").GetString(), new[] { "queued", "running", "done" });
        Assert.Equal(ruleId, started.Data.GetProperty("rule_id").GetInt32());
        foreach (var field in new[] { "id", "total", "processed", "matched", "changed", "created_at", "finished_at" })
        {
            Assert.True(started.Data.TryGetProperty(field, out _), field);
        }

        var done = await api.ApplyAndWaitAsync(ruleId);
        Assert.True(done.GetProperty("id").GetInt32() >= started.Data.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Preview_counts_matches_and_changes_and_changes_nothing()
    {
        var api = await factory.NewStackClientAsync();
        var sale = await api.CreateTagAsync("Sale");
        var tagged = await PostAsync(api, $"message=beach+sale&tags={sale}");
        var untagged = await PostAsync(api, "message=beach+party");
        await PostAsync(api, "message=mountains");
        var ruleId = await api.CreateRuleAsync("""{"message": {"$regex": "beach"}}""", $$"""[{"type": "$addToSet", "field": "tags", "value": [{{sale}}]}]""", enabled: false);
        var before = await api.GetTileAsync(untagged);

        var preview = await api.PreviewAsync(ruleId);
        preview.AssertOk();
        Assert.Equal(2, preview.Data.GetProperty("matched").GetInt32());
        Assert.Equal(1, preview.Data.GetProperty("changed").GetInt32());
        Assert.Equal(new[] { tagged, untagged }.Order(), preview.Data.GetProperty("tiles").Strings().Order());

        var after = await api.GetTileAsync(untagged);
        Assert.Equal(before.GetRawText(), after.GetRawText());
        Assert.Equal(0, after.GetProperty("rules").GetArrayLength());
        (await api.GetAsync($"tilerules/{ruleId}/apply")).AssertError(HttpStatusCode.NotFound, 1090404, "rule:job_not_found");
    }

    [Fact]
    public async Task Preview_lists_the_first_fifty_matches_and_counts_them_all()
    {
        var api = await factory.NewStackClientAsync();
        var ids = await RuleApi.SeedManyAsync(factory, api.StackId, 120);
        var ruleId = await api.CreateRuleAsync("""{"source": "twitter"}""", """[{"type": "$set", "field": "status", "value": "published"}]""");

        var preview = await api.PreviewAsync(ruleId);
        preview.AssertOk();
        Assert.Equal(120, preview.Data.GetProperty("matched").GetInt32());
        Assert.Equal(0, preview.Data.GetProperty("changed").GetInt32());
        var listed = preview.Data.GetProperty("tiles").Strings();
        Assert.Equal(50, listed.Distinct().Count());
        Assert.All(listed, id => Assert.Contains(id, ids));
    }

    private static async Task<string> PostAsync(ApiClient api, string form) =>
        (await api.CreateTileAsync(form)).GetProperty("id").GetString()!;
}
