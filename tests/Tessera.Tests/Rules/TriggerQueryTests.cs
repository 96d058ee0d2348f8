using System.Diagnostics;
using System.Text.Json.Nodes;
using Tessera.Server.Features.Rules;

namespace Tessera.Tests.Rules;

/// <summary>The trigger evaluator on its own: the edges of its comparison rules and the regex bound.</summary>
public sealed class TriggerQueryTests
{
    [Theory]
    [InlineData("""{"n": 5}""", """{"n": "5"}""", true)]
    [InlineData("""{"n": "5"}""", """{"n": 5.0}""", true)]
    [InlineData("""{"n": "05"}""", """{"n": "5"}""", false)]
    [InlineData("""{"n": {"$gt": 9}}""", """{"n": "10"}""", true)]
    [InlineData("""{"n": {"$gt": "9"}}""", """{"n": "10"}""", false)]
    [InlineData("""{"b": 1}""", """{"b": true}""", true)]
    [InlineData("""{"s": {"$gt": 1}}""", """{"s": "abc"}""", false)]
    [InlineData("""{"a": null}""", """{}""", true)]
    [InlineData("""{"a": null}""", """{"a": null}""", true)]
    [InlineData("""{"a": {"$ne": null}}""", """{"a": 0}""", true)]
    [InlineData("""{"a": [1, 2]}""", """{"a": [1, 2]}""", true)]
    [InlineData("""{"a": [1, 2]}""", """{"a": [2, 1]}""", false)]
    [InlineData("""{"a": {"x": 1}}""", """{"a": {"x": 1}}""", true)]
    [InlineData("""{"a.x": 2}""", """{"a": [{"x": 1}, {"x": 2}]}""", true)]
    [InlineData("""{"a": {"$elemMatch": {"x": {"$gte": 2}, "y": "b"}}}""", """{"a": [{"x": 1, "y": "b"}, {"x": 2, "y": "c"}]}""", false)]
    [InlineData("""{"a": {"$elemMatch": {"x": {"$gte": 2}, "y": "c"}}}""", """{"a": [{"x": 1, "y": "b"}, {"x": 2, "y": "c"}]}""", true)]
    [InlineData("""{"a": {"$nin": [3]}}""", """{}""", true)]
    [InlineData("""{"a": {"$all": []}}""", """{"a": [1]}""", false)]
    [InlineData("""{"m": {"$regex": "^b", "$options": "m"}}""", """{"m": "a\nb"}""", true)]
    [InlineData("""{"m": {"$regex": "a.b", "$options": "s"}}""", """{"m": "a\nb"}""", true)]
    [InlineData("""{"m": {"$regex": "a b # comment", "$options": "x"}}""", """{"m": "ab"}""", true)]
    public void Values_compare_as_documented(string trigger, string document, bool matches) =>
        Assert.Equal(matches, TriggerQuery.Parse(JsonNode.Parse(trigger)!.AsObject()).Matches(JsonNode.Parse(document)));

    [Fact]
    public void A_catastrophic_pattern_runs_in_linear_time()
    {
        var query = TriggerQuery.Parse(JsonNode.Parse("""{"m": {"$regex": "(a+)+$"}}""")!.AsObject());
        var document = new JsonObject { ["m"] = new string('a', 100_000) + "!" };
        var watch = Stopwatch.StartNew();
        Assert.False(query.Matches(document));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");

        // A match the catastrophic branch stands in front of is still found: a backtracking engine would
        // run out of its timeout on that branch first and report no match.
        var behind = TriggerQuery.Parse(JsonNode.Parse("""{"m": {"$regex": "(a+)+$|x"}}""")!.AsObject());
        Assert.True(behind.Matches(new JsonObject { ["m"] = new string('a', 100_000) + "!x" }));
    }
}
