using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Tessera.Server.Data;
using Tessera.Server.Features.ContentApi;
using Tessera.Server.Features.Filters;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Caching;

/// <summary>
/// Watches every save: logs tile publication changes in the same save (<see cref="TileChangeLog"/>)
/// and, once the save is committed, advances the <see cref="StackGenerations"/> of the stacks whose
/// public content it touched. Features save as usual and need not remember to invalidate anything.
/// </summary>
/// <remarks>
/// A save inside an explicit transaction is only visible once the transaction commits, so its stacks
/// are advanced then. Advancing a stack whose change was rolled back only costs a cache miss.
/// </remarks>
public sealed class ContentChangeInterceptor(StackGenerations generations, TimeProvider time) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        AdvanceUnlessInTransaction(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        AdvanceUnlessInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Advance(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Advance(eventData.Context);
        return Task.CompletedTask;
    }

    private void Record(DbContext? context)
    {
        if (context is not TesseraDbContext db)
        {
            return;
        }

        if (db.Database.CurrentTransaction is null)
        {
            // Left over from a save that failed on this (pooled) context: nothing of it was committed.
            db.ChangedStacks.Clear();
        }

        // EF detects changes only after this hook; the log needs them now.
        db.ChangeTracker.DetectChanges();
        TileChangeLog.Append(db, time.GetUtcNow().ToUnixTimeSeconds());
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && StackOf(entry.Entity) is { } stackId)
            {
                db.ChangedStacks.Add(stackId);
            }
        }
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

    private void AdvanceUnlessInTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            Advance(context);
        }
    }

    private void Advance(DbContext? context)
    {
        if (context is not TesseraDbContext db)
        {
            return;
        }

        foreach (var stackId in db.ChangedStacks)
        {
            generations.Advance(stackId);
        }

        db.ChangedStacks.Clear();
    }
}
