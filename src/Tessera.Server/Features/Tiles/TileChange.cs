using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tessera.Server.Features.Tiles;

public enum TileChangeKind
{
    /// <summary>A tile was published, or a published tile was edited or retagged.</summary>
    Upserted = 1,

    /// <summary>A published tile left publication: disabled, queued again or deleted.</summary>
    Removed = 2,
}

/// <summary>
/// One row of the publication log the change feed (<c>GET /api/tiles/changes</c>) reads. Rows are
/// written in the transaction that changes the tile (<see cref="TileChangeLog"/>), so the log never
/// misses a commit and never shows one that was rolled back.
/// </summary>
/// <remarks>
/// Readers page by (<see cref="TxId"/>, <see cref="Seq"/>). On SQLite writers are serialized, so
/// <see cref="Seq"/> alone is in commit order and <see cref="TxId"/> is 0. On PostgreSQL
/// <see cref="TxId"/> is the writing transaction's id and readers only take rows of transactions older
/// than every transaction still running: a late commit can then never land behind a cursor.
/// </remarks>
public sealed class TileChange
{
    public long Seq { get; set; }

    public int StackId { get; set; }

    /// <summary>The writing transaction (PostgreSQL <c>pg_current_xact_id()</c>); 0 on SQLite.</summary>
    public long TxId { get; set; }

    /// <summary>The tile's public id (the tile itself may be gone).</summary>
    public required string ObjectId { get; set; }

    public TileChangeKind Kind { get; set; }

    public long At { get; set; }
}

internal sealed class TileChangeConfiguration : IEntityTypeConfiguration<TileChange>
{
    public void Configure(EntityTypeBuilder<TileChange> change)
    {
        change.ToTable("tile_changes");
        change.HasKey(c => c.Seq);
        change.Property(c => c.Seq).ValueGeneratedOnAdd();
        change.Property(c => c.ObjectId).HasMaxLength(24).IsFixedLength();
        change.HasIndex(c => new { c.StackId, c.TxId, c.Seq });
    }
}

/// <summary>Appends the publication changes of a save to <see cref="TileChange"/> rows in the same save.</summary>
public static class TileChangeLog
{
    /// <summary>
    /// A row for every tile that is published after the save (created, edited or retagged) and for
    /// every tile that was published before it and no longer is. Call with changes detected. Rows
    /// of an earlier save of this context that failed are dropped first, so a retried save logs once.
    /// </summary>
    public static void Append(DbContext db, long now)
    {
        foreach (var unsaved in db.ChangeTracker.Entries<TileChange>().Where(e => e.State == EntityState.Added).ToList())
        {
            unsaved.State = EntityState.Detached;
        }

        var changes = new List<TileChange>();
        foreach (var entry in db.ChangeTracker.Entries<Tile>())
        {
            var kind = KindOf(entry);
            if (kind is { } k)
            {
                changes.Add(new TileChange { StackId = entry.Entity.StackId, ObjectId = entry.Entity.ObjectId, Kind = k, At = now });
            }
        }

        db.AddRange(changes);
    }

    private static TileChangeKind? KindOf(EntityEntry<Tile> entry)
    {
        var publishedNow = entry.Entity.Status == TileStatus.Published;
        return entry.State switch
        {
            EntityState.Added => publishedNow ? TileChangeKind.Upserted : null,
            EntityState.Deleted => WasPublished(entry) ? TileChangeKind.Removed : null,
            EntityState.Modified when publishedNow => TileChangeKind.Upserted,
            EntityState.Modified when WasPublished(entry) => TileChangeKind.Removed,
            // Tags changed without the tile row itself (links added or removed).
            EntityState.Unchanged when publishedNow && TagsChanged(entry) => TileChangeKind.Upserted,
            _ => null,
        };
    }

    private static bool WasPublished(EntityEntry<Tile> entry) =>
        entry.OriginalValues.GetValue<TileStatus>(nameof(Tile.Status)) == TileStatus.Published;

    private static bool TagsChanged(EntityEntry<Tile> entry) =>
        entry.Context.ChangeTracker.Entries<TileTag>().Any(t =>
            t.State is EntityState.Added or EntityState.Deleted or EntityState.Modified && t.Entity.TileSeq == entry.Entity.Seq);
}
