using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tessera.Server.Features.Stacks;

namespace Tessera.Server.Features.Tags;

/// <summary>A tag of a stack: a content label, a product ("swing tag"), a competition or a system tag.</summary>
public sealed class Tag
{
    public int Id { get; set; }

    public int StackId { get; set; }

    /// <summary>The display name (<c>tag</c> on the wire).</summary>
    public required string Name { get; set; }

    /// <summary>Lower-cased name; unique per stack, so uniqueness is the same on SQLite and PostgreSQL.</summary>
    public required string NormalizedName { get; set; }

    public required string Slug { get; set; }

    public bool CustomSlug { get; set; }

    public required string Type { get; set; }

    public bool PubliclyVisible { get; set; }

    public string Target { get; set; } = string.Empty;

    public bool SystemTag { get; set; }

    public int Priority { get; set; } = 3;

    public string CustomUrl { get; set; } = string.Empty;

    public string Price { get; set; } = string.Empty;

    /// <summary>External product id; null when none, unique per stack otherwise (looked up as <c>ext:{id}</c>).</summary>
    public string? ExtProductId { get; set; }

    public string Description { get; set; } = string.Empty;

    public string ImageSmallUrl { get; set; } = string.Empty;

    public int ImageSmallWidth { get; set; }

    public int ImageSmallHeight { get; set; }

    public string ImageMediumUrl { get; set; } = string.Empty;

    public int ImageMediumWidth { get; set; }

    public int ImageMediumHeight { get; set; }

    public bool VoteEnabled { get; set; }

    public string Brand { get; set; } = string.Empty;

    /// <summary>Product categories, stored as a JSON array.</summary>
    public string CategoriesJson { get; set; } = "[]";

    public string Currency { get; set; } = string.Empty;

    public string AvailabilityStatus { get; set; } = string.Empty;

    public string CtaText { get; set; } = string.Empty;

    /// <summary>Data-template values, stored as a JSON object.</summary>
    public string CustomFieldsJson { get; set; } = "{}";

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}

internal sealed class TagConfiguration : IEntityTypeConfiguration<Tag>
{
    public void Configure(EntityTypeBuilder<Tag> tag)
    {
        tag.ToTable("tags");
        tag.HasIndex(t => new { t.StackId, t.NormalizedName }).IsUnique();
        tag.HasIndex(t => new { t.StackId, t.ExtProductId }).IsUnique();
        tag.Property(t => t.Name).HasMaxLength(TagRules.MaxNameLength);
        tag.Property(t => t.NormalizedName).HasMaxLength(TagRules.MaxNameLength);
        tag.Property(t => t.Slug).HasMaxLength(TagRules.MaxNameLength);
        tag.Property(t => t.Type).HasMaxLength(16);
        tag.Property(t => t.ExtProductId).HasMaxLength(255);
        tag.HasOne<Stack>().WithMany().HasForeignKey(t => t.StackId).OnDelete(DeleteBehavior.Cascade);
    }
}
