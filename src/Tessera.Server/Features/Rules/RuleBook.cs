using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Data;

namespace Tessera.Server.Features.Rules;

/// <summary>
/// Each stack's enabled rules, compiled, in id order, kept in memory so ingestion does not read or
/// compile them per tile: a stack without rules costs a dictionary lookup. A rule change through the
/// API calls <see cref="Invalidate"/> after it is saved, so the node that made it runs the new rules
/// from the next tile on. Other nodes read the rules again once their copy is <see cref="MaxAge"/> old:
/// for up to that long after a change, tiles ingested on another node may still run the old rules.
/// </summary>
public sealed partial class RuleBook(TimeProvider time, ILogger<RuleBook> logger)
{
    /// <summary>How long a stack's rules are used before they are read again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<int, Entry> _stacks = new();
    private readonly ConcurrentDictionary<int, long> _generations = new();

    /// <summary>The stack's enabled rules in the order they run; read through <paramref name="db"/> when the cached copy is stale.</summary>
    public async ValueTask<IReadOnlyList<CompiledRule>> EnabledRulesAsync(TesseraDbContext db, int stackId, CancellationToken ct)
    {
        // The generation is taken before the rules are read: a change saved meanwhile invalidates what is read here.
        var generation = _generations.GetValueOrDefault(stackId);
        var now = time.GetUtcNow();
        if (_stacks.TryGetValue(stackId, out var known) && known.Generation == generation && now - known.ReadAt < MaxAge)
        {
            return known.Rules;
        }

        var rows = await db.Rules.AsNoTracking().Where(r => r.StackId == stackId && r.Enabled).OrderBy(r => r.Id).ToListAsync(ct);
        var rules = new List<CompiledRule>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                rules.Add(CompiledRule.From(row));
            }
            catch (RuleInputException e)
            {
                // Validated on write, so only a rule stored by an older version can fail here; it is skipped, not fatal.
                LogUncompilable(logger, row.Id, stackId, e.Message);
            }
        }

        _stacks[stackId] = new Entry(rules, generation, now);
        return rules;
    }

    /// <summary>Forgets the stack's rules on this node; call after a rule of the stack was saved or deleted.</summary>
    public void Invalidate(int stackId)
    {
        _generations.AddOrUpdate(stackId, 1, (_, generation) => generation + 1);
        _stacks.TryRemove(stackId, out _);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Automation rule {RuleId} of stack {StackId} does not compile and is skipped: {Error}")]
    private static partial void LogUncompilable(ILogger logger, int ruleId, int stackId, string error);

    private sealed record Entry(IReadOnlyList<CompiledRule> Rules, long Generation, DateTimeOffset ReadAt);
}
