using Microsoft.EntityFrameworkCore;
using Tessera.Server.Data;
using Tessera.Server.Features.ContentApi;
using Tessera.Server.Features.Filters;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Terms;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Caching;

/// <summary>
/// Part of every save: logs tile publication changes in the same save (<see cref="TileChangeLog"/>)
/// and, once the save is committed, advances the <see cref="StackGenerations"/> of the stacks whose
/// public content it touched, and the <see cref="TileWireGenerations"/> of the stacks whose tags or
/// terms it touched. Features save as usual and need not remember to invalidate anything.
/// </summary>
/// <remarks>
/// A save inside an explicit transaction is only visible once the transaction commits, so its stacks
/// are advanced then. Advancing a stack whose change was rolled back only costs a cache miss.
/// </remarks>
public sealed class ContentChangeHook(StackGenerations generations, TileWireGenerations wireGenerations, TimeProvider time) : ISaveHook
{
    public ValueTask BeforeSaveAsync(TesseraDbContext db, bool inTransaction, CancellationToken ct)
    {
        if (!inTransaction)
        {
            // Left over from a save that failed on this (pooled) context: nothing of it was committed.
            db.ChangedStacks.Clear();
            db.ChangedWireStacks.Clear();
        }

        TileChangeLog.Append(db, time.GetUtcNow().ToUnixTimeSeconds());
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            if (StackOf(entry.Entity) is { } stackId)
            {
                db.ChangedStacks.Add(stackId);
            }

            if (WireStackOf(entry.Entity) is { } wireStackId)
            {
                db.ChangedWireStacks.Add(wireStackId);
            }
        }

        return ValueTask.CompletedTask;
    }

    public void AfterCommit(TesseraDbContext db)
    {
        foreach (var stackId in db.ChangedStacks)
        {
            generations.Advance(stackId);
        }

        foreach (var stackId in db.ChangedWireStacks)
        {
            wireGenerations.Advance(stackId);
        }

        db.ChangedStacks.Clear();
        db.ChangedWireStacks.Clear();
    }

    /// <summary>
    /// The stack of an entity whose changes the public caches show; null for the others. Tiles count
    /// through their publication log rows: a change to a tile that is not published and was not
    /// before (a queued post, say) invalidates nothing.
    /// </summary>
    private static int? StackOf(object entity) => entity switch
    {
        TileChange change => change.StackId,
        Tag tag => tag.StackId,
        Filter filter => filter.StackId,
        ContentApiPlugin plugin => plugin.StackId,
        _ => null,
    };

    /// <summary>
    /// The stack of an entity that tile JSON shows besides the tile row (tags, terms); null for the
    /// others. An added one counts too: SQLite may give a new row the id of a deleted one.
    /// </summary>
    private static int? WireStackOf(object entity) => entity switch
    {
        Tag tag => tag.StackId,
        Term term => term.StackId,
        _ => null,
    };
}
