using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tessera.Server.Features.Stacks;
using Tessera.Server.Features.Tags;

namespace Tessera.Server.Features.Tiles;

/// <summary>
/// The tile tables and the indexes the filter queries are designed around (docs/architecture.md):
/// one (stack, status, sort key, seq) index per sort for untagged filters, and
/// (tag, status, source time, seq) on <c>tile_tags</c> for tag-filtered ones. Each page is one index
/// range walked in order; the database never sorts the matching set.
/// </summary>
internal sealed class TileConfiguration : IEntityTypeConfiguration<Tile>
{
    public void Configure(EntityTypeBuilder<Tile> tile)
    {
        tile.ToTable("tiles");
        tile.HasKey(t => t.Seq);
        tile.Property(t => t.Seq).ValueGeneratedOnAdd();
        tile.Property(t => t.ObjectId).HasMaxLength(24).IsFixedLength();
        tile.Property(t => t.Source).HasMaxLength(32);
        tile.Property(t => t.SourceId).HasMaxLength(TileRules.MaxIdLength);
        tile.Property(t => t.SourceUniqueId).HasMaxLength(TileRules.MaxIdLength + 40);
        tile.Property(t => t.Guid).HasMaxLength(TileRules.MaxIdLength);
        tile.Property(t => t.StaFeedId).HasMaxLength(64);
        tile.Property(t => t.Media).HasMaxLength(16);
        tile.Property(t => t.LocationName).HasMaxLength(TileRules.MaxLocationNameLength);

        tile.Property(t => t.Version).IsConcurrencyToken();
        tile.HasIndex(t => t.ObjectId).IsUnique();
        tile.HasIndex(t => new { t.StackId, t.SourceUniqueId }).IsUnique();
        tile.HasIndex(t => new { t.StackId, t.Guid }).IsUnique();
        tile.HasIndex(t => new { t.StackId, t.StaFeedId }).IsUnique();
        tile.HasIndex(t => new { t.StackId, t.Status, t.SourceCreatedAt, t.Seq });
        tile.HasIndex(t => new { t.StackId, t.Status, t.Score, t.Seq });
        tile.HasIndex(t => new { t.StackId, t.Status, t.Votes, t.Seq });
        tile.HasIndex(t => new { t.StackId, t.Status, t.RandomKey, t.Seq });

        tile.HasOne<Stack>().WithMany().HasForeignKey(t => t.StackId).OnDelete(DeleteBehavior.Cascade);
        tile.HasMany(t => t.Tags).WithOne().HasForeignKey(t => t.TileSeq).OnDelete(DeleteBehavior.Cascade);
        tile.Navigation(t => t.Tags).UsePropertyAccessMode(PropertyAccessMode.Field);
        tile.Ignore(t => t.TagIds);
    }
}

internal sealed class TileTagConfiguration : IEntityTypeConfiguration<TileTag>
{
    public void Configure(EntityTypeBuilder<TileTag> tileTag)
    {
        tileTag.ToTable("tile_tags");
        tileTag.HasKey(t => new { t.TileSeq, t.TagId });
        tileTag.HasIndex(t => new { t.TagId, t.Status, t.SourceCreatedAt, t.TileSeq });
        // Deleting a tag removes it from every tile in one statement.
        tileTag.HasOne<Tag>().WithMany().HasForeignKey(t => t.TagId).OnDelete(DeleteBehavior.Cascade);
    }
}
