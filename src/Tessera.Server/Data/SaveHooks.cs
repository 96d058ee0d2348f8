using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Tessera.Server.Data;

/// <summary>
/// Something every save must do, whichever feature saves: write rows that belong in the same
/// transaction as the change (the change feed's log, the webhooks outbox), and act once the change
/// is committed (invalidate caches, wake a dispatcher). Registered as a singleton and run by
/// <see cref="SaveHookInterceptor"/>.
/// </summary>
public interface ISaveHook
{
    /// <summary>
    /// Runs before every save of <paramref name="db"/>, with changes detected; rows it adds are saved
    /// in the same transaction. <paramref name="inTransaction"/> is true when the save is part of an
    /// explicit transaction, false when the save is its own.
    /// </summary>
    ValueTask BeforeSaveAsync(TesseraDbContext db, bool inTransaction, CancellationToken ct);

    /// <summary>Runs once what the saves before it changed is committed.</summary>
    void AfterCommit(TesseraDbContext db);
}

/// <summary>
/// Runs the <see cref="ISaveHook"/>s around every save: before it, and after its commit (after
/// the save when it has no explicit transaction, else when the transaction commits).
/// </summary>
public sealed class SaveHookInterceptor(IEnumerable<ISaveHook> hooks) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ISaveHook[] _hooks = [.. hooks];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        // Tessera saves asynchronously; a synchronous save (tools, tests) runs the same hooks.
        BeforeSaveAsync(eventData.Context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await BeforeSaveAsync(eventData.Context, cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        AfterCommitUnlessInTransaction(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        AfterCommitUnlessInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => AfterCommit(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        AfterCommit(eventData.Context);
        return Task.CompletedTask;
    }

    private async ValueTask BeforeSaveAsync(DbContext? context, CancellationToken ct)
    {
        if (context is not TesseraDbContext db)
        {
            return;
        }

        // EF detects changes only after this hook; the hooks need them now. Once is enough: the hooks
        // read entries many times, and each read would scan every tracked entity again. EF's own
        // detection after the hooks still sees what the hooks changed.
        var tracker = db.ChangeTracker;
        tracker.DetectChanges();
        var autoDetect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            var inTransaction = db.Database.CurrentTransaction is not null;
            foreach (var hook in _hooks)
            {
                await hook.BeforeSaveAsync(db, inTransaction, ct);
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private void AfterCommitUnlessInTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            AfterCommit(context);
        }
    }

    private void AfterCommit(DbContext? context)
    {
        if (context is TesseraDbContext db)
        {
            foreach (var hook in _hooks)
            {
                hook.AfterCommit(db);
            }
        }
    }
}
