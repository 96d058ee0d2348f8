using Microsoft.EntityFrameworkCore;

namespace Tessera.Server.Data;

/// <summary>How a save of changed rows ended when other requests changed the same rows at the same time.</summary>
public enum SaveOutcome
{
    Saved,

    /// <summary>A row was changed by another request since it was read (its <c>Version</c> moved on).</summary>
    Conflict,

    /// <summary>A row was deleted by another request since it was read.</summary>
    Missing,

    /// <summary>A unique index refused the row (a concurrent insert of the same key won).</summary>
    Duplicate,

    /// <summary>The row references a row that is gone (a tag deleted meanwhile).</summary>
    MissingReference,
}

public static class SaveOutcomes
{
    /// <summary>
    /// Saves, turning the races of concurrent requests into outcomes a handler answers with a 4xx
    /// (optimistic concurrency on the <c>Version</c> tokens, unique indexes, foreign keys).
    /// </summary>
    public static async Task<SaveOutcome> TrySaveAsync(this TesseraDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return SaveOutcome.Saved;
        }
        catch (DbUpdateConcurrencyException e)
        {
            // Missing only when a versioned row (a tile, term or filter itself) is gone; a vanished
            // dependent row (a tile's tag link removed by the other request) is a conflict.
            foreach (var entry in e.Entries.Where(x => x.Metadata.FindProperty("Version") is not null))
            {
                if (await entry.GetDatabaseValuesAsync(ct) is null)
                {
                    return SaveOutcome.Missing;
                }
            }

            return SaveOutcome.Conflict;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return SaveOutcome.Duplicate;
        }
        catch (DbUpdateException e) when (DbErrors.IsForeignKeyViolation(e))
        {
            return SaveOutcome.MissingReference;
        }
    }
}
