using System.Globalization;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Rules;

/// <summary>
/// Which tiles each trigger operator selects, read through the preview. Three tiles: A (an image by
/// Alice about the beach, tagged Red, in Sydney, sentiment 0.8), B (text by Bob, tagged Red and Blue, in
/// Melbourne, sentiment -0.5) and C (a video by Carol about the beach, untagged, no place or sentiment).
/// In the triggers, RED and BLUE stand for the tag ids.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TriggerOperatorTests(TesseraFactory factory)
{
    public static TheoryData<string, string> Cases => new()
    {
        // Equality: implicit, $eq, $ne, implicit AND of several fields, every tile for {}.
        { """{"media": "image"}""", "A" },
        { """{"media": {"$eq": "video"}}""", "C" },
        { """{"media": {"$ne": "image"}}""", "B,C" },
        { """{"media": "text", "name": "Bob"}""", "B" },
        { """{"media": "text", "name": "Alice"}""", "" },
        { "{}", "A,B,C" },
        // Ordering.
        { """{"stackla_sentiment_score": {"$gt": 0}}""", "A" },
        { """{"stackla_sentiment_score": {"$gte": -0.5}}""", "A,B" },
        { """{"stackla_sentiment_score": {"$lt": 0}}""", "B" },
        { """{"stackla_sentiment_score": {"$lte": 0.8}}""", "A,B" },
        { """{"stackla_sentiment_score": {"$gt": -1, "$lt": 0.5}}""", "B" },
        { """{"stackla_sentiment_score": {"$gt": "0.1"}}""", "A" },
        // Lists.
        { """{"media": {"$in": ["image", "video"]}}""", "A,C" },
        { """{"media": {"$nin": ["image", "video"]}}""", "B" },
        // Logic.
        { """{"$and": [{"media": "text"}, {"name": "Bob"}]}""", "B" },
        { """{"$or": [{"media": "image"}, {"name": "Carol"}]}""", "A,C" },
        { """{"$nor": [{"media": "image"}, {"name": "Carol"}]}""", "B" },
        { """{"$not": {"media": "image"}}""", "B,C" },
        { """{"media": {"$not": {"$in": ["image", "text"]}}}""", "C" },
        { """{"$or": [{"$and": [{"media": "text"}, {"tags": "BLUE"}]}, {"location.name": "Sydney"}]}""", "A,B" },
        // Presence, dotted paths.
        { """{"location.name": {"$exists": true}}""", "A,B" },
        { """{"location.name": {"$exists": false}}""", "C" },
        { """{"location.name": "Sydney"}""", "A" },
        { """{"location": {"$exists": 1}, "stackla_sentiment_score": {"$lt": 0}}""", "B" },
        // Regexes with and without options.
        { """{"message": {"$regex": "beach", "$options": "i"}}""", "A,C" },
        { """{"message": {"$regex": "^Beach"}}""", "C" },
        { """{"message": {"$regex": "BEACH"}}""", "" },
        { """{"message": {"$not": {"$regex": "beach", "$options": "i"}}}""", "B" },
        // Arrays: any element matches, as a string or a number; $all, $size, $elemMatch; paths through arrays.
        { """{"tags": "RED"}""", "A,B" },
        { """{"tags": BLUE}""", "B" },
        { """{"tags": {"$in": [BLUE, 999999]}}""", "B" },
        { """{"tags": {"$all": ["RED", BLUE]}}""", "B" },
        { """{"tags": {"$all": ["RED"]}}""", "A,B" },
        { """{"tags": {"$size": 2}}""", "B" },
        { """{"tags": {"$size": 0}}""", "C" },
        { """{"tags": {"$elemMatch": {"$eq": "BLUE"}}}""", "B" },
        { """{"tags_extended": {"$elemMatch": {"tag": "Red", "type": "content"}}}""", "A,B" },
        { """{"tags_extended.tag": "Blue"}""", "B" },
        { """{"tags.1": "BLUE"}""", "B" },
        // Any wire field: terms (names), status, source, booleans.
        { """{"terms": "UGC Post Feed"}""", "A,B,C" },
        { """{"source": "sta_feed", "status": "published"}""", "A,B,C" },
        { """{"disabled": false, "claimed": {"$ne": true}}""", "A,B,C" },
        { """{"video_url": {"$exists": true, "$ne": null}}""", "C" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_trigger_selects_exactly_the_matching_tiles(string trigger, string expected)
    {
        var api = await factory.NewStackClientAsync();
        var red = await api.CreateTagAsync("Red");
        var blue = await api.CreateTagAsync("Blue");
        var tiles = new Dictionary<string, string>
        {
            ["A"] = await PostAsync(api, $"message=Summer+sale+at+the+beach&name=Alice&image_url=https%3A%2F%2Fcdn.example%2Fa.jpg&tags={red}"),
            ["B"] = await PostAsync(api, $"message=Winter+coat&name=Bob&tags={red},{blue}"),
            ["C"] = await PostAsync(api, "message=Beach+volleyball&name=Carol&video_url=https%3A%2F%2Fcdn.example%2Fc.mp4"),
        };
        await TileSeeder.EditAsync(factory, tiles["A"], t => (t.SentimentScore, t.LocationName) = (0.8, "Sydney"));
        await TileSeeder.EditAsync(factory, tiles["B"], t => (t.SentimentScore, t.LocationName) = (-0.5, "Melbourne"));

        var json = trigger.Replace("RED", red.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("BLUE", blue.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var ruleId = await api.CreateRuleAsync(json, """[{"type": "$set", "field": "stackla_sentiment_score", "value": 0.1}]""", enabled: false);
        var preview = await api.PreviewAsync(ruleId);
        preview.AssertOk();

        var want = expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(label => tiles[label]).Order().ToArray();
        Assert.Equal(want, preview.Data.GetProperty("tiles").Strings().Order().ToArray());
        Assert.Equal(want.Length, preview.Data.GetProperty("matched").GetInt32());
    }

    private static async Task<string> PostAsync(ApiClient api, string form) =>
        (await api.CreateTileAsync(form)).GetProperty("id").GetString()!;
}
