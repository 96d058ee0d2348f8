using Microsoft.EntityFrameworkCore;
using Tessera.Server.Compat;
using Tessera.Server.Data;

namespace Tessera.Server.Features.Tags;

/// <summary>Tag reads that other features share: checking ids a client sends, and loading tags to embed.</summary>
public static class TagLookup
{
    /// <summary>Adds an error to <paramref name="f"/> unless every id names a tag of the stack.</summary>
    public static async Task CheckExistAsync(TesseraDbContext db, int stackId, string field, IReadOnlyList<int>? ids, FieldReader f, CancellationToken ct)
    {
        if (ids is { Count: > 0 })
        {
            var found = await ExistingAsync(db, stackId, ids, ct);
            ReportMissing(f, field, ids.Except(found));
        }
    }

    /// <summary>The one error for tag ids that name no tag of the stack (nothing when there are none).</summary>
    public static void ReportMissing(FieldReader f, string field, IEnumerable<int> missing)
    {
        var ids = missing.Distinct().Take(5).ToList();
        if (ids.Count > 0)
        {
            f.AddError(field, $"no tag {string.Join(", ", ids)} in this stack", "tag_not_found");
        }
    }

    /// <summary>Those of <paramref name="ids"/> that name tags of the stack, in the given order.</summary>
    public static async Task<List<int>> ExistingAsync(TesseraDbContext db, int stackId, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var distinct = ids.Distinct().ToList();
        var found = (await db.Tags.Where(t => t.StackId == stackId && distinct.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct)).ToHashSet();
        return [.. ids.Where(found.Contains)];
    }

    /// <summary>The stack's tags with these ids, by id (ids of other stacks are simply absent).</summary>
    public static async Task<Dictionary<int, Tag>> LoadAsync(TesseraDbContext db, int stackId, IEnumerable<int> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return [];
        }

        return await db.Tags.AsNoTracking().Where(t => t.StackId == stackId && distinct.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
    }
}
