using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Rules;

/// <summary>Rules run on every new tile before it is stored: the POST answer and every later read show their effects.</summary>
[Collection(ApiCollection.Name)]
public sealed class RuleIngestionTests(TesseraFactory factory)
{
    private const string Image = "image_url=https%3A%2F%2Fcdn.example%2Fa.jpg";

    [Fact]
    public async Task AddToSet_appends_tags_and_set_replaces_them()
    {
        var api = await factory.NewStackClientAsync();
        var red = await api.CreateTagAsync("Red");
        var blue = await api.CreateTagAsync("Blue");
        var green = await api.CreateTagAsync("Green");
        var add = await api.CreateRuleAsync("""{"media": "image"}""", $$"""[{"type": "$addToSet", "field": "tags", "value": [{{blue}}, "{{red}}"]}]""");
        var set = await api.CreateRuleAsync("""{"message": {"$regex": "green"}}""", $$"""[{"type": "$set", "field": "tags", "value": "{{green}}"}]""");

        var image = await api.CreateTileAsync($"message=m&{Image}&tags={red}");
        Assert.Equal([Id(red), Id(blue)], image.GetProperty("tags").Strings());
        Assert.Equal(["Red", "Blue"], image.GetProperty("tags_extended").EnumerateArray().Select(t => t.GetProperty("tag").GetString()));
        Assert.Equal([add], image.GetProperty("rules").Ints());

        var text = await api.CreateTileAsync($"message=all+green&tags={red},{blue}");
        Assert.Equal([Id(green)], text.GetProperty("tags").Strings());
        Assert.Equal([set], text.GetProperty("rules").Ints());

        var stored = await api.GetTileAsync(image.GetProperty("id").GetString()!);
        Assert.Equal([Id(red), Id(blue)], stored.GetProperty("tags").Strings());
        Assert.Equal([add], stored.GetProperty("rules").Ints());
        Assert.Equal([Id(green)], (await api.GetTileAsync(text.GetProperty("id").GetString()!)).GetProperty("tags").Strings());

        // Filter content sees the rule's tags: the tag index rows were written with the tile.
        var blueFilter = await api.CreateFilterAsync($"name=Blue&tags={blue}");
        Assert.Equal([image.GetProperty("id").GetString()!], await api.ContentIdsAsync(blueFilter));
    }

    [Fact]
    public async Task Status_location_sentiment_and_hotspots_are_set_on_ingestion()
    {
        var api = await factory.NewStackClientAsync();
        var product = await api.CreateTagAsync("Product");
        var ruleId = await api.CreateRuleAsync("""{"message": {"$regex": "sydney", "$options": "i"}}""", $$$"""
            [
              {"type": "$set", "field": "status", "value": "queued"},
              {"type": "$set", "field": "location", "value": {"name": "Sydney", "latitude": -33.87, "longitude": "151.21"}},
              {"type": "$set", "field": "stackla_sentiment_score", "value": 0.7},
              {"type": "$set", "field": "hotspot", "value": [{"type": "point", "coords": [10, 20.5], "tag": {"id": {{{product}}}}}]}
            ]
            """);

        var posted = await api.CreateTileAsync($"message=Hello+from+Sydney&{Image}");
        var stored = await api.GetTileAsync(posted.GetProperty("id").GetString()!);
        foreach (var tile in new[] { posted, stored })
        {
            Assert.Equal("queued", tile.GetProperty("status").GetString());
            Assert.True(tile.GetProperty("queued").GetBoolean());
            var location = tile.GetProperty("location");
            Assert.Equal("Sydney", location.GetProperty("name").GetString());
            Assert.Equal("-33.87", location.GetProperty("latitude").GetString());
            Assert.Equal("151.21", location.GetProperty("longitude").GetString());
            Assert.Equal("-33.87", tile.GetProperty("latitude").GetString());
            Assert.Equal(0.7, tile.GetProperty("stackla_sentiment_score").GetDouble());
            var hotspot = Assert.Single(tile.GetProperty("hotspots").EnumerateArray());
            Assert.Equal("point", hotspot.GetProperty("type").GetString());
            Assert.Equal([10, 20.5], hotspot.GetProperty("coords").EnumerateArray().Select(c => c.GetDouble()));
            Assert.Equal(product, hotspot.GetProperty("tag").GetProperty("id").GetInt32());
            Assert.Equal(24, hotspot.GetProperty("_id").GetString()!.Length);
            Assert.Equal([ruleId], tile.GetProperty("rules").Ints());
        }

        // A tile the trigger does not match is untouched.
        var other = await api.CreateTileAsync("message=Hello+from+Perth");
        Assert.Equal("published", other.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, other.GetProperty("location").ValueKind);
        Assert.Equal(JsonValueKind.Null, other.GetProperty("stackla_sentiment_score").ValueKind);
        Assert.Equal(0, other.GetProperty("hotspots").GetArrayLength());
        Assert.Equal(0, other.GetProperty("rules").GetArrayLength());

        // The queued tile is out of the published content until it is approved.
        Assert.Equal([other.GetProperty("id").GetString()!], await api.ContentIdsAsync(api.LatestFilterId));
    }

    [Fact]
    public async Task Rules_run_in_id_order_a_later_rule_sees_an_earlier_rules_tag_and_disabled_rules_are_skipped()
    {
        var api = await factory.NewStackClientAsync();
        var first = await api.CreateTagAsync("First");
        var skipped = await api.CreateTagAsync("Skipped");
        var second = await api.CreateTagAsync("Second");
        var tagFirst = await api.CreateRuleAsync("{}", $$"""[{"type": "$addToSet", "field": "tags", "value": [{{first}}]}]""");
        await api.CreateRuleAsync("{}", $$"""[{"type": "$addToSet", "field": "tags", "value": [{{skipped}}]}]""", enabled: false);
        var followUp = await api.CreateRuleAsync($$"""{"tags": {{first}}}""", $$"""[{"type": "$addToSet", "field": "tags", "value": [{{second}}]}]""");
        var seesRules = await api.CreateRuleAsync($$"""{"rules": {{followUp}}}""", """[{"type": "$set", "field": "stackla_sentiment_score", "value": -1}]""");

        var tile = await api.CreateTileAsync("message=m");
        Assert.Equal([Id(first), Id(second)], tile.GetProperty("tags").Strings());
        Assert.Equal([tagFirst, followUp, seesRules], tile.GetProperty("rules").Ints());
        Assert.Equal(-1, tile.GetProperty("stackla_sentiment_score").GetDouble());
    }

    [Fact]
    public async Task A_rule_change_applies_to_the_next_tile_on_the_same_node()
    {
        var api = await factory.NewStackClientAsync();
        var ruleId = await api.CreateRuleAsync("{}", """[{"type": "$set", "field": "status", "value": "disabled"}]""");
        Assert.Equal("disabled", (await api.CreateTileAsync("message=one")).GetProperty("status").GetString());

        (await api.SendRuleAsync(HttpMethod.Put, $"tilerules/{ruleId}", """{"action": [{"type": "$set", "field": "status", "value": "queued"}]}""")).AssertOk();
        Assert.Equal("queued", (await api.CreateTileAsync("message=two")).GetProperty("status").GetString());

        (await api.SendRuleAsync(HttpMethod.Put, $"tilerules/{ruleId}", """{"enabled": 0}""")).AssertOk();
        Assert.Equal("published", (await api.CreateTileAsync("message=three")).GetProperty("status").GetString());

        (await api.SendRuleAsync(HttpMethod.Put, $"tilerules/{ruleId}", """{"enabled": 1}""")).AssertOk();
        Assert.Equal("queued", (await api.CreateTileAsync("message=four")).GetProperty("status").GetString());

        (await api.DeleteAsync($"tilerules/{ruleId}")).AssertOk();
        var last = await api.CreateTileAsync("message=five");
        Assert.Equal("published", last.GetProperty("status").GetString());
        Assert.Equal(0, last.GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public async Task A_tag_deleted_after_the_rule_was_written_is_skipped_and_ingestion_succeeds()
    {
        var api = await factory.NewStackClientAsync();
        var kept = await api.CreateTagAsync("Kept");
        var gone = await api.CreateTagAsync("Gone");
        var ruleId = await api.CreateRuleAsync("{}", $$$"""
            [
              {"type": "$addToSet", "field": "tags", "value": [{{{kept}}}, {{{gone}}}]},
              {"type": "$set", "field": "hotspots", "value": [{"coords": [1, 2], "tag": {"id": {{{gone}}}}}, {"coords": [3, 4], "tag": {{{kept}}}}]}
            ]
            """);
        (await api.DeleteAsync($"tags/{gone}")).AssertOk();

        var tile = await api.CreateTileAsync("message=m");
        Assert.Equal([Id(kept)], tile.GetProperty("tags").Strings());
        Assert.Equal(kept, Assert.Single(tile.GetProperty("hotspots").EnumerateArray()).GetProperty("tag").GetProperty("id").GetInt32());
        Assert.Equal([ruleId], tile.GetProperty("rules").Ints());
    }

    [Fact]
    public async Task A_runaway_regex_is_bounded_and_ingestion_still_succeeds_quickly()
    {
        var api = await factory.NewStackClientAsync();
        var ruleId = await api.CreateRuleAsync("""{"message": {"$regex": "(a+)+$"}}""", """[{"type": "$set", "field": "status", "value": "queued"}]""");
        var nested = await api.CreateRuleAsync("""{"message": {"$regex": "^(([a-z])+.)+[A-Z]([a-z])+$"}}""", """[{"type": "$set", "field": "stackla_sentiment_score", "value": 1}]""");

        var watch = Stopwatch.StartNew();
        var response = await api.PostTileAsync($"message={new string('a', 30_000)}!", api.PostTermId);
        watch.Stop();
        response.AssertOk();
        Assert.Equal("published", response.Data.GetProperty("status").GetString()); // "…a!" does not end in a's
        Assert.Equal(0, response.Data.GetProperty("rules").GetArrayLength());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"ingestion took {watch.Elapsed}");

        var matching = await api.PostTileAsync($"message={new string('a', 30_000)}", api.PostTermId);
        matching.AssertOk();
        Assert.Equal("queued", matching.Data.GetProperty("status").GetString());
        Assert.Equal([ruleId], matching.Data.GetProperty("rules").Ints());
        var preview = await api.PreviewAsync(nested);
        preview.AssertOk();
        Assert.Equal(0, preview.Data.GetProperty("matched").GetInt32());
    }

    private static string Id(int tagId) => tagId.ToString(CultureInfo.InvariantCulture);
}
