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

        foreach (var tile in stored.Where(e => e.State == EntityState.Modified))
        {
            Bump(tile);
        }

        // Links added, removed or reordered change the tile's tags without touching its row.
        var bySeq = stored.ToDictionary(e => e.Entity.Seq);
        foreach (var link in db.ChangeTracker.Entries<TileTag>())
        {
            if (link.State is EntityState.Added or EntityState.Deleted or EntityState.Modified && bySeq.TryGetValue(link.Entity.TileSeq, out var tile))
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
