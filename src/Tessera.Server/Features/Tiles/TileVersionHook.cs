using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Tessera.Server.Data;

namespace Tessera.Server.Features.Tiles;

/// <summary>
/// Part of every save: a stored tile whose row or tag links change gets a new <see cref="Tile.Version"/>,
/// also where the code that changed it did not increment it. Optimistic concurrency and the tile JSON
/// cache (<c>Caching.TileJsonCache</c>) rely on the version moving with every change. A tile
/// whose version the save already changes is left alone, so it never moves twice.
/// </summary>
public sealed class TileVersionHook : ISaveHook
{
    public ValueTask BeforeSaveAsync(TesseraDbContext db, bool inTransaction, CancellationToken ct)
    {
        // Added tiles (every tile of an ingestion batch) have no version to move.
        var stored = db.ChangeTracker.Entries<Tile>().Where(e => e.State is EntityState.Unchanged or EntityState.Modified).ToList();
        if (stored.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        // Links added, removed or reordered change the tile's tags without touching its row.
        var relinked = db.ChangeTracker.Entries<TileTag>()
            .Where(e => e.State is EntityState.Added or EntityState.Deleted or EntityState.Modified)
            .Select(e => e.Entity.TileSeq)
            .ToHashSet();
        foreach (var tile in stored)
        {
            if (tile.State == EntityState.Modified || relinked.Contains(tile.Entity.Seq))
            {
                Bump(tile);
            }
        }

        return ValueTask.CompletedTask;
    }

    public void AfterCommit(TesseraDbContext db)
    {
    }

    private static void Bump(EntityEntry<Tile> tile)
    {
        var version = tile.Property(t => t.Version);
        if (!version.IsModified)
        {
            version.CurrentValue++;
        }
    }
}
