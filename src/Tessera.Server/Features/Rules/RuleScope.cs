using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Data;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Terms;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.Rules;

/// <summary>
/// What running rules on tiles of one stack needs besides the tiles: the stack's terms and tags as the
/// documents show them, and which of the tags the actions name still exist. Tags are read when first
/// needed and remembered for the scope's life (one ingestion, one preview, one batch of an apply job).
/// </summary>
public sealed class RuleScope(TesseraDbContext db, int stackId, DateTimeOffset now)
{
    private readonly Dictionary<int, TagWire> _tags = [];
    private readonly HashSet<int> _missingTags = [];
    private readonly Dictionary<int, Term> _terms = [];

    /// <summary>The time changes are made at (hotspot ids, <c>updated_at</c>).</summary>
    public DateTimeOffset Now => now;

    public void AddTerms(IEnumerable<Term> terms)
    {
        foreach (var term in terms)
        {
            _terms[term.Id] = term;
        }
    }

    /// <summary>Tags already read (a request's own tags, say): known to exist, and shown in documents.</summary>
    public void AddTags(IEnumerable<Tag> tags)
    {
        foreach (var tag in tags)
        {
            _tags[tag.Id] = TagWire.From(tag);
        }
    }

    /// <summary>
    /// The stack's next stored tiles after <paramref name="afterSeq"/> in storage (<c>Seq</c>) order, with
    /// their tags, which the scope then knows: what preview and apply walk.
    /// </summary>
    public async Task<List<Tile>> NextBatchAsync(long afterSeq, int size, bool tracked, CancellationToken ct)
    {
        var tiles = await (tracked ? db.Tiles : db.Tiles.AsNoTracking())
            .Include(t => t.Tags)
            .Where(t => t.StackId == stackId && t.Seq > afterSeq)
            .OrderBy(t => t.Seq)
            .Take(size)
            .ToListAsync(ct);
        await ExistingTagsAsync(tiles.SelectMany(t => t.TagIds), ct);
        return tiles;
    }

    /// <summary>The tile's document; its tags show in <c>tags_extended</c> once the scope knows them.</summary>
    public JsonObject Document(Tile tile) => RuleDocument.From(tile, _tags, _terms);

    /// <summary>Those of <paramref name="ids"/> that are tags of the stack; reads only the ids this scope has not seen.</summary>
    public async ValueTask<IReadOnlySet<int>> ExistingTagsAsync(IEnumerable<int> ids, CancellationToken ct)
    {
        var wanted = ids.ToHashSet();
        var unknown = wanted.Where(id => !_tags.ContainsKey(id) && !_missingTags.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            var found = await TagLookup.LoadAsync(db, stackId, unknown, ct);
            AddTags(found.Values);
            _missingTags.UnionWith(unknown.Where(id => !found.ContainsKey(id)));
        }

        wanted.IntersectWith(_tags.Keys);
        return wanted;
    }
}
