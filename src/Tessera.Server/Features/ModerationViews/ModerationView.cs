using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tessera.Server.Features.Stacks;

namespace Tessera.Server.Features.ModerationViews;

/// <summary>
/// A saved view of the moderation screen (reference §2.6). Written flat (<c>columns_*</c>,
/// <c>filter_value_*</c>, <c>other_*</c>, <c>date_range_*</c>), read nested; each group is kept as
/// one JSON object of the values sent.
/// </summary>
public sealed class ModerationView
{
    public int Id { get; set; }

    public int StackId { get; set; }

    /// <summary>The user whose token created the view.</summary>
    public int OwnerId { get; set; }

    public required string ViewName { get; set; }

    /// <summary><c>user</c>.</summary>
    public string Type { get; set; } = "user";

    /// <summary><c>public</c> (the whole stack sees it) or <c>private</c> (its owner only).</summary>
    public string AccessType { get; set; } = "public";

    /// <summary>The <c>columns_*</c> values as a JSON object (<c>select_col</c> → true, …).</summary>
    public string Columns { get; set; } = "{}";

    /// <summary>The <c>filter_value_*</c> values as a JSON object.</summary>
    public string Filter { get; set; } = "{}";

    /// <summary>The <c>other_*</c> values as a JSON object.</summary>
    public string Other { get; set; } = "{}";

    /// <summary>The <c>date_range_*</c> values as a JSON object.</summary>
    public string DateRange { get; set; } = "{}";

    public string SortBy { get; set; } = "newest";

    public int Version { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}

internal sealed class ModerationViewConfiguration : IEntityTypeConfiguration<ModerationView>
{
    public void Configure(EntityTypeBuilder<ModerationView> view)
    {
        view.ToTable("moderation_views");
        view.HasIndex(v => new { v.StackId, v.Id });
        view.HasOne<Stack>().WithMany().HasForeignKey(v => v.StackId).OnDelete(DeleteBehavior.Cascade);
        view.Property(v => v.ViewName).HasMaxLength(255);
        view.Property(v => v.Type).HasMaxLength(16);
        view.Property(v => v.AccessType).HasMaxLength(16);
        view.Property(v => v.SortBy).HasMaxLength(32);
        view.Property(v => v.Version).IsConcurrencyToken();
    }
}
