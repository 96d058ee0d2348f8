using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tessera.Server.Features.Stacks;

namespace Tessera.Server.Features.Widgets;

/// <summary>
/// An embeddable display of a filter's tiles (reference §2.5, decisions §2.13). The widget's name
/// is <c>style.name</c>; <see cref="Style"/> and <see cref="Config"/> keep the objects as JSON text,
/// as clients send them (with per-style defaults filled in).
/// </summary>
public sealed class Widget
{
    public int Id { get; set; }

    public int StackId { get; set; }

    /// <summary>The public hash (13 hex characters) used by embed codes (<c>data-hash</c>, <c>wid</c>).</summary>
    public required string Guid { get; set; }

    /// <summary><c>style.name</c>, kept as a column too for listing.</summary>
    public required string Name { get; set; }

    /// <summary><c>style.style</c>: the style family (<c>base_waterfall</c>, <c>carousel</c>, …).</summary>
    public required string StyleName { get; set; }

    /// <summary><c>style.type</c>: <c>fluid</c> or <c>fixed</c>.</summary>
    public required string Type { get; set; }

    public int FilterId { get; set; }

    /// <summary>The widget this one was derived from (<c>?action=derive</c>).</summary>
    public int? ParentId { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>The <c>style</c> object as JSON.</summary>
    public string Style { get; set; } = "{}";

    /// <summary>The <c>config</c> object as JSON (always with <c>tile_options</c> and <c>lightbox</c>).</summary>
    public string Config { get; set; } = "{}";

    public string CustomCss { get; set; } = string.Empty;

    public string LightboxCustomCss { get; set; } = string.Empty;

    public string CustomJs { get; set; } = string.Empty;

    public string LightboxCustomJs { get; set; } = string.Empty;

    public string ExternalJs { get; set; } = string.Empty;

    /// <summary>Other writable top-level fields (NextGen templates, <c>use_default_css</c>, …) as one JSON object.</summary>
    public string Extra { get; set; } = "{}";

    /// <summary>Optimistic-concurrency token: every update increments it.</summary>
    public int Version { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}

internal sealed class WidgetConfiguration : IEntityTypeConfiguration<Widget>
{
    public void Configure(EntityTypeBuilder<Widget> widget)
    {
        widget.ToTable("widgets");
        widget.HasIndex(w => new { w.StackId, w.Id });
        widget.HasIndex(w => w.Guid).IsUnique();
        widget.HasIndex(w => w.ParentId);
        widget.HasOne<Stack>().WithMany().HasForeignKey(w => w.StackId).OnDelete(DeleteBehavior.Cascade);
        widget.Property(w => w.Guid).HasMaxLength(32);
        widget.Property(w => w.Name).HasMaxLength(255);
        widget.Property(w => w.StyleName).HasMaxLength(64);
        widget.Property(w => w.Type).HasMaxLength(16);
        widget.Property(w => w.Version).IsConcurrencyToken();
    }
}
