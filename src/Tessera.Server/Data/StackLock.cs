using Microsoft.EntityFrameworkCore;

namespace Tessera.Server.Data;

/// <summary>
/// Serializes a stack's writes that check a stack-wide rule before they save (the last Admin must
/// stay). Inside a transaction, it writes the stack's row first: PostgreSQL then holds that row's
/// lock and SQLite its write lock until commit, so a second such transaction waits, and its checks
/// (read after the lock) see the first one's result.
/// </summary>
public static class StackLock
{
    /// <summary>Call first in the transaction, before any read the rule depends on.</summary>
    public static Task AcquireAsync(TesseraDbContext db, int stackId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"UPDATE stacks SET \"Name\" = \"Name\" WHERE \"Id\" = {stackId}", ct);
}
