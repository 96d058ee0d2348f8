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
    /// <summary>The tile's document; <paramref name="tags"/> must hold the tile's tags (<see cref="TileWire"/> shows only those it is given).</summary>
    public static JsonObject From(Tile tile, IReadOnlyDictionary<int, TagWire> tags, IReadOnlyDictionary<int, Term> terms) =>
        JsonSerializer.SerializeToNode(TileWire.From(tile, tags, terms, baseUrl: string.Empty), WireJson.Options)!.AsObject();
}
