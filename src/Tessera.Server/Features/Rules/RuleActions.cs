using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.Rules;

/// <summary>
/// A rule's <c>action</c> array, compiled once: <c>{type, field, value}</c> items (reference §2.8) with
/// <c>type</c> <c>$set</c> (overwrite) or <c>$addToSet</c> (append, <c>tags</c> only) and <c>field</c> one of
/// <c>tags</c>, <c>status</c>, <c>location</c>, <c>stackla_sentiment_score</c> and <c>hotspots</c> (alias
/// <c>hotspot</c>). Actions run in order; each changes the tile only when its value differs, so
/// <see cref="Apply"/> can tell whether a tile changed.
/// </summary>
public sealed class RuleActions
{
    public const int MaxActions = 20;

    public const int MaxHotspots = 50;

    public static readonly IReadOnlyList<string> Fields = ["tags", "status", "location", "stackla_sentiment_score", "hotspots"];

    private readonly List<RuleAction> _items;

    private RuleActions(List<RuleAction> items) => _items = items;

    /// <summary>Every tag id the actions name (tags to set or add, hotspot tags).</summary>
    public IEnumerable<int> TagIds => _items.SelectMany(a => a.TagIds).Distinct();

    /// <summary>Compiles an action array; throws <see cref="RuleInputException"/> naming the item and key that is invalid.</summary>
    public static RuleActions Parse(JsonArray actions)
    {
        if (actions.Count > MaxActions)
        {
            throw new RuleInputException($"has more than {MaxActions} actions");
        }

        var items = new List<RuleAction>(actions.Count);
        for (var i = 0; i < actions.Count; i++)
        {
            items.Add(ParseOne(actions[i], $"[{i}]"));
        }

        return new RuleActions(items);
    }

    /// <summary>Runs the actions on a tile; true when any of them changed it. Tags not in <paramref name="existingTags"/> are skipped.</summary>
    public bool Apply(Tile tile, IReadOnlySet<int> existingTags, DateTimeOffset now)
    {
        var changed = false;
        foreach (var action in _items)
        {
            changed |= action.Apply(tile, existingTags, now);
        }

        return changed;
    }

    private static RuleAction ParseOne(JsonNode? node, string at)
    {
        if (node is not JsonObject item)
        {
            throw new RuleInputException($"{at}: must be an object {{type, field, value}}");
        }

        if (item.FirstOrDefault(p => p.Key is not ("type" or "field" or "value")) is { Key: { } extra })
        {
            throw new RuleInputException($"{at}: '{Cut(extra)}' is not an action key (type, field, value)");
        }

        var type = Text(item["type"]);
        if (type is not ("$set" or "$addToSet"))
        {
            throw new RuleInputException($"{at}.type: must be $set or $addToSet");
        }

        var field = Text(item["field"]);
        field = field == "hotspot" ? "hotspots" : field;
        if (field is null || !Fields.Contains(field))
        {
            throw new RuleInputException($"{at}.field: {(field is null ? "is required" : $"'{Cut(field)}' is not an action field")} (one of {string.Join(", ", Fields)})");
        }

        if (type == "$addToSet" && field != "tags")
        {
            throw new RuleInputException($"{at}.type: {field} takes $set only ($addToSet is for tags)");
        }

        if (!item.ContainsKey("value"))
        {
            throw new RuleInputException($"{at}.value: is required");
        }

        var value = item["value"];
        var here = $"{at}.value";
        return field switch
        {
            "tags" => new TagsAction(TagList(value, here), append: type == "$addToSet"),
            "status" => new StatusAction(Status(value, here)),
            "location" => Location(value, here),
            "stackla_sentiment_score" => new SentimentAction(Number(value, here, -1, 1) ?? throw Required(here)),
            _ => new HotspotsAction(Hotspots(value, here)),
        };
    }

    private static List<int> TagList(JsonNode? value, string at)
    {
        var items = value is JsonArray array ? [.. array] : new List<JsonNode?> { value };
        if (items.Count > TileRules.MaxTags)
        {
            throw new RuleInputException($"{at}: has more than {TileRules.MaxTags} tags");
        }

        var ids = new List<int>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            ids.Add(TagId(items[i], value is JsonArray ? $"{at}[{i}]" : at));
        }

        return [.. ids.Distinct()];
    }

    /// <summary>A tag id as a number, a numeric string or a tag object <c>{"id": …}</c>.</summary>
    private static int TagId(JsonNode? node, string at)
    {
        if (node is JsonObject obj)
        {
            return TagId(obj["id"], $"{at}.id");
        }

        var text = node is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.String ? v.ToString() : null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new RuleInputException($"{at}: must be a tag id (a positive integer)");
    }

    private static TileStatus Status(JsonNode? value, string at)
    {
        var text = Text(value)?.ToLowerInvariant();
        text = text is not null && TileRules.StatusAliases.TryGetValue(text, out var canonical) ? canonical : text;
        return text is not null && TileRules.Statuses.Contains(text)
            ? TileRules.ParseStatus(text)
            : throw new RuleInputException($"{at}: must be one of {string.Join(", ", TileRules.Statuses)}");
    }

    private static LocationAction Location(JsonNode? value, string at)
    {
        if (value is not JsonObject location)
        {
            throw new RuleInputException($"{at}: must be an object {{name, latitude, longitude}}");
        }

        if (location.FirstOrDefault(p => p.Key is not ("name" or "latitude" or "longitude")) is { Key: { } extra })
        {
            throw new RuleInputException($"{at}: '{Cut(extra)}' is not a location key (name, latitude, longitude)");
        }

        var name = Text(location["name"])?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > TileRules.MaxLocationNameLength || name.Any(char.IsControl))
        {
            throw new RuleInputException($"{at}.name: must be a text of 1 to {TileRules.MaxLocationNameLength} characters");
        }

        return new LocationAction(name, Coordinate(location["latitude"], $"{at}.latitude", 90), Coordinate(location["longitude"], $"{at}.longitude", 180));
    }

    /// <summary>A coordinate, stored as the tile's decimal string (as <c>latitude</c>/<c>longitude</c> are posted); null or absent clears it.</summary>
    private static string? Coordinate(JsonNode? value, string at, double limit) =>
        Number(value, at, -limit, limit)?.ToString("R", CultureInfo.InvariantCulture);

    private static double? Number(JsonNode? value, string at, double min, double max)
    {
        if (value is null)
        {
            return null;
        }

        var number = value is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.String
            && double.TryParse(v.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : (double?)null;
        return number is { } n && n >= min && n <= max
            ? n
            : throw new RuleInputException($"{at}: must be a number from {min} to {max}");
    }

    private static List<Hotspot> Hotspots(JsonNode? value, string at)
    {
        if (value is not JsonArray array)
        {
            throw new RuleInputException($"{at}: must be an array of {{type: \"point\", coords: [x, y], tag: {{id}}}}");
        }

        if (array.Count > MaxHotspots)
        {
            throw new RuleInputException($"{at}: has more than {MaxHotspots} hotspots");
        }

        var hotspots = new List<Hotspot>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var here = $"{at}[{i}]";
            if (array[i] is not JsonObject spot)
            {
                throw new RuleInputException($"{here}: must be an object {{type: \"point\", coords: [x, y], tag: {{id}}}}");
            }

            if (spot.FirstOrDefault(p => p.Key is not ("type" or "coords" or "tag" or "_id")) is { Key: { } extra })
            {
                throw new RuleInputException($"{here}: '{Cut(extra)}' is not a hotspot key (type, coords, tag)");
            }

            if (spot.ContainsKey("type") && Text(spot["type"]) != "point")
            {
                throw new RuleInputException($"{here}.type: must be \"point\"");
            }

            if (spot["coords"] is not JsonArray { Count: 2 } coords)
            {
                throw new RuleInputException($"{here}.coords: must be [x, y], percentages of the image from 0 to 100");
            }

            var x = Number(coords[0], $"{here}.coords[0]", 0, 100) ?? throw Required($"{here}.coords[0]");
            var y = Number(coords[1], $"{here}.coords[1]", 0, 100) ?? throw Required($"{here}.coords[1]");
            hotspots.Add(new Hotspot(x, y, TagId(spot["tag"] ?? throw Required($"{here}.tag"), $"{here}.tag")));
        }

        return hotspots;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static RuleInputException Required(string at) => new($"{at}: is required");

    private static string Cut(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>One compiled action.</summary>
    private abstract class RuleAction
    {
        /// <summary>The tag ids this action names.</summary>
        public virtual IEnumerable<int> TagIds => [];

        /// <summary>Changes the tile if its value differs; true when it did.</summary>
        public abstract bool Apply(Tile tile, IReadOnlySet<int> existingTags, DateTimeOffset now);
    }

    /// <summary><c>tags</c>: <c>$set</c> replaces the tile's tags, <c>$addToSet</c> appends those it lacks. Deleted tags are skipped; a <c>$set</c> whose tags are all gone does nothing.</summary>
    private sealed class TagsAction(List<int> ids, bool append) : RuleAction
    {
        public override IEnumerable<int> TagIds => ids;

        public override bool Apply(Tile tile, IReadOnlySet<int> existingTags, DateTimeOffset now)
        {
            var wanted = ids.Where(existingTags.Contains).ToList();
            var current = tile.TagIds.ToList();
            List<int> next = append ? [.. current, .. wanted.Except(current)] : wanted;
            if (wanted.Count == 0 || next.Count > TileRules.MaxTags || next.SequenceEqual(current))
            {
                return false;
            }

            tile.SetTags(next);
            return true;
        }
    }

    private sealed class StatusAction(TileStatus status) : RuleAction
    {
        public override bool Apply(Tile tile, IReadOnlySet<int> existingTags, DateTimeOffset now)
        {
            if (tile.Status == status)
            {
                return false;
            }

            tile.SetStatus(status);
            return true;
        }
    }

    /// <summary><c>location</c>: sets the place name and both coordinates (an absent coordinate is cleared, as <c>$set</c> overwrites the whole location).</summary>
    private sealed class LocationAction(string name, string? latitude, string? longitude) : RuleAction
    {
        public override bool Apply(Tile tile, IReadOnlySet<int> existingTags, DateTimeOffset now)
        {
            if (tile.LocationName == name && tile.Latitude == latitude && tile.Longitude == longitude)
            {
                return false;
            }

            (tile.LocationName, tile.Latitude, tile.Longitude) = (name, latitude, longitude);
            return true;
        }
    }

    private sealed class SentimentAction(double score) : RuleAction
    {
        public override bool Apply(Tile tile, IReadOnlySet<int> existingTags, DateTimeOffset now)
        {
            if (tile.SentimentScore == score)
            {
                return false;
            }

            tile.SentimentScore = score;
            return true;
        }
    }

    /// <summary>
    /// <c>hotspots</c>: replaces the tile's hotspots with these, as <c>{_id, type: "point", coords: [x, y], tag: {id}}</c>.
    /// A hotspot whose tag was deleted is left out. Hotspots equal but for their <c>_id</c> count as unchanged.
    /// </summary>
    private sealed class HotspotsAction(List<Hotspot> hotspots) : RuleAction
    {
        public override IEnumerable<int> TagIds => hotspots.Select(h => h.TagId);

        public override bool Apply(Tile tile, IReadOnlySet<int> existingTags, DateTimeOffset now)
        {
            var kept = hotspots.Where(h => existingTags.Contains(h.TagId)).ToList();
            var next = new JsonArray([.. kept.Select(h => h.ToJson(null))]);
            var current = JsonNode.Parse(tile.HotspotsJson) as JsonArray ?? [];
            foreach (var spot in current.OfType<JsonObject>())
            {
                spot.Remove("_id");
            }

            if (current.ToJsonString() == next.ToJsonString())
            {
                return false;
            }

            tile.HotspotsJson = new JsonArray([.. kept.Select(h => h.ToJson(ObjectIds.New(now)))]).ToJsonString();
            return true;
        }
    }

    private sealed record Hotspot(double X, double Y, int TagId)
    {
        public JsonObject ToJson(string? id)
        {
            var spot = new JsonObject();
            if (id is not null)
            {
                spot["_id"] = id;
            }

            spot["type"] = "point";
            spot["coords"] = new JsonArray(X, Y);
            spot["tag"] = new JsonObject { ["id"] = TagId };
            return spot;
        }
    }
}
