using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Server.Compat;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Terms;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.Rules;

/// <summary>
/// The JSON a trigger is evaluated against: the tile in its management wire shape (<see cref="TileWire"/>),
/// so any field a client reads can be tested, e.g. <c>tags</c> (id strings), <c>terms</c> (names),
/// <c>location.name</c>, <c>stackla_sentiment_score</c>, <c>status</c>. Stored media paths stay relative
/// (<c>/media/…</c>): a rule sees the same document on every node and whatever the request's host.
/// </summary>
public static class RuleDocument
{
    public static JsonObject From(Tile tile, IReadOnlyDictionary<int, TagWire> tags, IReadOnlyDictionary<int, Term> terms)
    {
        var wire = TileWire.From(tile, tags, terms, baseUrl: string.Empty);
        var document = JsonSerializer.SerializeToNode(wire, WireJson.Options)!.AsObject();
        // Every tag of the tile counts, also one whose wire object this run has not loaded.
        document["tags"] = new JsonArray([.. tile.TagIds.Select(id => JsonValue.Create(id.ToString(CultureInfo.InvariantCulture)))]);
        return document;
    }
}
