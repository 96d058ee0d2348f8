using System.Text.Json.Nodes;
using Tessera.Server.Data;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Terms;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.Rules;

/// <summary>What one rule did to one tile.</summary>
public readonly record struct RuleOutcome(bool Matched, bool Changed);

/// <summary>
/// Runs rules on tiles: on every new tile before it is stored (all enabled rules of its stack, in id
/// order, each seeing what the earlier ones did), and one rule at a time on stored tiles (the apply job
/// and the preview).
/// </summary>
public static class RuleRunner
{
    /// <summary>
    /// Runs the stack's enabled rules on tiles being ingested through <paramref name="term"/> (prepared by
    /// <see cref="TileIngestion.Prepare"/>, not yet saved). <paramref name="knownTags"/> are tags the caller
    /// has already read. Each rule that matches runs its actions and adds its id to <see cref="Tile.RuleIds"/>.
    /// Without tiles, or when the stack has no enabled rules, nothing is read.
    /// </summary>
    public static async Task RunOnNewTilesAsync(
        RuleBook book, TesseraDbContext db, Term term, IReadOnlyList<Tile> tiles, IEnumerable<Tag> knownTags, DateTimeOffset now, CancellationToken ct)
    {
        if (tiles.Count == 0)
        {
            return;
        }

        var rules = await book.EnabledRulesAsync(db, term.StackId, ct);
        if (rules.Count == 0)
        {
            return;
        }

        var scope = new RuleScope(db, term.StackId, now);
        scope.AddTerms([term]);
        scope.AddTags(knownTags);
        // The tiles' own tags (a feed tile's default tags, say) show in their documents too.
        await scope.ExistingTagsAsync(tiles.SelectMany(t => t.TagIds), ct);
        foreach (var tile in tiles)
        {
            await RunOnNewTileAsync(rules, tile, scope, ct);
        }
    }

    private static async Task RunOnNewTileAsync(IReadOnlyList<CompiledRule> rules, Tile tile, RuleScope scope, CancellationToken ct)
    {
        JsonObject? document = null;
        foreach (var rule in rules)
        {
            document ??= scope.Document(tile);
            if (!rule.Trigger.Matches(document))
            {
                continue;
            }

            var existing = await scope.ExistingTagsAsync(rule.Actions.TagIds, ct);
            rule.Actions.Apply(tile, existing, scope.Now);
            tile.RuleIds = [.. tile.RuleIds, rule.Id];
            document = null; // the next rule sees this one's changes (and its id in "rules")
        }
    }

    /// <summary>
    /// Runs one rule on a stored tile, as <c>/apply</c> does: when the trigger matches, the actions run;
    /// a tile they changed records the rule id (once), a new <c>updated_at</c> and a new version. The
    /// caller saves the tile, or, for a preview, does not.
    /// </summary>
    public static async Task<RuleOutcome> RunOnStoredTileAsync(CompiledRule rule, Tile tile, RuleScope scope, CancellationToken ct)
    {
        if (!rule.Trigger.Matches(scope.Document(tile)))
        {
            return new RuleOutcome(false, false);
        }

        var existing = await scope.ExistingTagsAsync(rule.Actions.TagIds, ct);
        if (!rule.Actions.Apply(tile, existing, scope.Now))
        {
            return new RuleOutcome(true, false);
        }

        if (!tile.RuleIds.Contains(rule.Id))
        {
            tile.RuleIds = [.. tile.RuleIds, rule.Id];
        }

        tile.UpdatedAt = scope.Now.ToUnixTimeSeconds();
        tile.Version++;
        return new RuleOutcome(true, true);
    }
}
