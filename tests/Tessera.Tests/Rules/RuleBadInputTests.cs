using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Rules;

/// <summary>Every invalid rule is a 400 with one error per invalid field, naming it, and nothing is written.</summary>
[Collection(ApiCollection.Name)]
public sealed class RuleBadInputTests(TesseraFactory factory)
{
    private const string Status = """{"type": "$set", "field": "status", "value": "queued"}""";

    public static TheoryData<string, string, string, string> Cases => new()
    {
        // trigger
        { """{"media": {"$foo": 1}}""", $"[{Status}]", "trigger", "$foo is not a supported operator" },
        { """{"$where": "this.media == 'image'"}""", $"[{Status}]", "trigger", "$where is not supported" },
        { """{"media": {"$type": "string"}}""", $"[{Status}]", "trigger", "$type is not supported" },
        { """{"$expr": {}}""", $"[{Status}]", "trigger", "$expr is not a supported operator" },
        { "\"media = image\"", $"[{Status}]", "trigger", "must be a JSON object" },
        { "[1, 2]", $"[{Status}]", "trigger", "must be a JSON object" },
        { """{"$or": []}""", $"[{Status}]", "trigger", "$or: must be a non-empty array" },
        { """{"$and": {"media": "image"}}""", $"[{Status}]", "trigger", "$and: must be a non-empty array" },
        { """{"media": {"$in": "image"}}""", $"[{Status}]", "trigger", "media.$in: must be an array" },
        { """{"media": {"$gt": ["a"]}}""", $"[{Status}]", "trigger", "must be a number, a string or a boolean" },
        { """{"tags": {"$size": -1}}""", $"[{Status}]", "trigger", "must be a non-negative integer" },
        { """{"tags": {"$exists": "maybe"}}""", $"[{Status}]", "trigger", "must be true or false" },
        { """{"media": {"$eq": "x", "name": "y"}}""", $"[{Status}]", "trigger", "mixes operators" },
        { """{"message": {"$regex": "(a)\\1"}}""", $"[{Status}]", "trigger", "bounded regex engine" },
        { """{"message": {"$regex": "(?=a)b"}}""", $"[{Status}]", "trigger", "bounded regex engine" },
        { """{"message": {"$regex": "(unclosed"}}""", $"[{Status}]", "trigger", "not a valid regular expression" },
        { """{"message": {"$regex": "a", "$options": "g"}}""", $"[{Status}]", "trigger", "'g' is not a supported flag" },
        { """{"message": {"$options": "i"}}""", $"[{Status}]", "trigger", "only allowed beside $regex" },
        { """{"message": {"$regex": 5}}""", $"[{Status}]", "trigger", "must be a string pattern" },
        { """{"a..b": 1}""", $"[{Status}]", "trigger", "is not a field path" },
        // action
        { "{}", "[]", "action", "at least one action" },
        { "{}", "{\"type\": \"$set\"}", "action", "must be a JSON array" },
        { "{}", """[{"type": "$set", "field": "colour", "value": "red"}]""", "action", "'colour' is not an action field" },
        { "{}", """[{"type": "$push", "field": "tags", "value": [1]}]""", "action", "must be $set or $addToSet" },
        { "{}", """[{"type": "$addToSet", "field": "status", "value": "queued"}]""", "action", "status takes $set only" },
        { "{}", """[{"type": "$set", "field": "status", "value": "approved"}]""", "action", "must be one of published, queued, disabled" },
        { "{}", """[{"type": "$set", "field": "status"}]""", "action", "[0].value: is required" },
        { "{}", """[{"type": "$set", "field": "tags", "value": ["x"]}]""", "action", "must be a tag id" },
        { "{}", """[{"type": "$set", "field": "tags", "value": [999999999]}]""", "action", "no tag 999999999 in this stack" },
        { "{}", """[{"type": "$set", "field": "stackla_sentiment_score", "value": 2}]""", "action", "must be a number from -1 to 1" },
        { "{}", """[{"type": "$set", "field": "location", "value": {"latitude": 1}}]""", "action", "name: must be a text" },
        { "{}", """[{"type": "$set", "field": "location", "value": {"name": "X", "latitude": 91}}]""", "action", "latitude: must be a number from -90 to 90" },
        { "{}", """[{"type": "$set", "field": "hotspots", "value": [{"coords": [150, 1], "tag": 1}]}]""", "action", "coords[0]: must be a number from 0 to 100" },
        { "{}", """[{"type": "$set", "field": "hotspots", "value": [{"type": "circle", "coords": [1, 1], "tag": 1}]}]""", "action", "type: must be \"point\"" },
        { "{}", """[{"type": "$set", "field": "hotspots", "value": [{"coords": [1, 1]}]}]""", "action", "tag: is required" },
        { "{}", """[{"type": "$set", "field": "status", "value": "queued", "when": "now"}]""", "action", "'when' is not an action key" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_invalid_trigger_or_action_is_400_naming_the_field(string trigger, string action, string field, string message)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendRuleAsync(HttpMethod.Post, "tilerules", $$"""{"name": "Bad", "trigger": {{trigger}}, "action": {{action}}}""");
        response.AssertFieldError(field);
        var error = Assert.Single(response.Errors.EnumerateArray());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await api.GetAsync("tilerules")).Data.GetArrayLength());
    }

    [Theory]
    [InlineData("""{"trigger": {}, "action": [STATUS]}""", "name", "rule:missing_field")]
    [InlineData("""{"name": "  ", "trigger": {}, "action": [STATUS]}""", "name", "rule:missing_field")]
    [InlineData("""{"name": "R", "action": [STATUS]}""", "trigger", "rule:missing_field")]
    [InlineData("""{"name": "R", "trigger": {}}""", "action", "rule:missing_field")]
    [InlineData("""{"name": "R", "trigger": {}, "action": [STATUS], "type": "asset"}""", "type", "rule:unsupported_type")]
    [InlineData("""{"name": "R", "trigger": {}, "action": [STATUS], "type": "video"}""", "type", "rule:invalid_field")]
    [InlineData("""{"name": "R", "trigger": {}, "action": [STATUS], "enabled": "maybe"}""", "enabled", "rule:invalid_field")]
    [InlineData("""{"name": "R", "trigger": {"$where": "1"}, "action": [STATUS]}""", "trigger", "rule:invalid_trigger")]
    [InlineData("""{"name": "R", "trigger": {}, "action": [{"type": "$set"}]}""", "action", "rule:invalid_action")]
    [InlineData("""{"name": "R", "trigger": {}, "action": [{"type": "$set", "field": "tags", "value": 999999999}]}""", "action", "rule:tag_not_found")]
    public async Task Missing_and_invalid_fields_have_their_own_message_ids(string body, string field, string messageId)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendRuleAsync(HttpMethod.Post, "tilerules", body.Replace("STATUS", Status, StringComparison.Ordinal));
        response.AssertFieldError(field, messageId);
    }

    [Fact]
    public async Task Several_invalid_fields_give_one_error_each()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendRuleAsync(HttpMethod.Post, "tilerules",
            """{"name": "", "trigger": {"$where": "1"}, "action": [{"type": "$set", "field": "nope"}], "type": "asset", "enabled": 7}""");
        response.AssertError(HttpStatusCode.BadRequest, 1090400);
        var fields = response.Errors.EnumerateArray().Select(e => e.GetProperty("message").GetString()!.Split(':')[0]).Order().ToArray();
        Assert.Equal(["action", "enabled", "name", "trigger", "type"], fields);
    }

    [Fact]
    public async Task Oversized_and_overcomplex_rules_are_refused()
    {
        var api = await factory.NewStackClientAsync();
        var big = await api.SendRuleAsync(HttpMethod.Post, "tilerules",
            $$"""{"name": "R", "trigger": {"message": "{{new string('x', 17_000)}}"}, "action": [{{Status}}]}""");
        big.AssertFieldError("trigger");
        Assert.Contains("larger than 16384", big.Error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var longName = await api.SendRuleAsync(HttpMethod.Post, "tilerules", $$"""{"name": "{{new string('n', 256)}}", "trigger": {}, "action": [{{Status}}]}""");
        longName.AssertFieldError("name");

        var manyActions = string.Join(",", Enumerable.Repeat(Status, 21));
        (await api.SendRuleAsync(HttpMethod.Post, "tilerules", $$"""{"name": "R", "trigger": {}, "action": [{{manyActions}}]}""")).AssertFieldError("action");

        var longPattern = await api.SendRuleAsync(HttpMethod.Post, "tilerules",
            $$$"""{"name": "R", "trigger": {"message": {"$regex": "{{{new string('a', 600)}}}"}}, "action": [{{{Status}}}]}""");
        longPattern.AssertFieldError("trigger");

        var deep = "{\"media\": \"image\"}";
        for (var i = 0; i < 14; i++)
        {
            deep = $$"""{"$not": {{deep}}}""";
        }

        var tooDeep = await api.SendRuleAsync(HttpMethod.Post, "tilerules", $$"""{"name": "R", "trigger": {{deep}}, "action": [{{Status}}]}""");
        tooDeep.AssertFieldError("trigger");
        Assert.Contains("more than 12 levels deep", tooDeep.Error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Deeper than the JSON reader allows: the body itself is refused.
        var deeper = await api.SendRuleAsync(HttpMethod.Post, "tilerules", $$"""{"name": "R", "trigger": {"$not": {{deep}}}, "action": [{{Status}}]}""");
        deeper.AssertError(HttpStatusCode.BadRequest, 1090400);

        var wide = string.Join(",", Enumerable.Range(0, 600).Select(i => $$"""{"name": "n{{i}}"}"""));
        (await api.SendRuleAsync(HttpMethod.Post, "tilerules", $$"""{"name": "R", "trigger": {"$or": [{{wide}}]}, "action": [{{Status}}]}""")).AssertFieldError("trigger");

        Assert.Equal(0, (await api.GetAsync("tilerules")).Data.GetArrayLength());
    }

    [Fact]
    public async Task An_invalid_update_changes_nothing()
    {
        var api = await factory.NewStackClientAsync();
        var ruleId = await api.CreateRuleAsync("""{"media": "image"}""", $"[{Status}]", name: "Original");
        var response = await api.SendRuleAsync(HttpMethod.Put, $"tilerules/{ruleId}", """{"name": "Changed", "trigger": {"$where": "1"}}""");
        response.AssertFieldError("trigger");

        var rule = (await api.GetAsync($"tilerules/{ruleId}")).Data;
        Assert.Equal("Original", rule.GetProperty("name").GetString());
        Assert.Equal("image", rule.GetProperty("trigger").GetProperty("media").GetString());
        (await api.SendRuleAsync(HttpMethod.Put, "tilerules/999999999", """{"name": "X"}""")).AssertError(HttpStatusCode.NotFound, 1090404, "rule:not_found");
    }
}
