using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tessera.Server.Features.Stacks;

namespace Tessera.Server.Features.Rules;

/// <summary>
/// An automation rule (reference §2.8): when a new tile matches <see cref="TriggerJson"/> (a
/// MongoDB-style query), its <see cref="ActionsJson"/> change the tile before it is stored. A stack's
/// enabled rules run in id order.
/// </summary>
public sealed class TileRule
{
    public int Id { get; set; }

    public int StackId { get; set; }

    public required string Name { get; set; }

    /// <summary>The trigger query object, as sent (validated on write).</summary>
    public string TriggerJson { get; set; } = "{}";

    /// <summary>The <c>action</c> array of <c>{type, field, value}</c> objects, as sent (validated on write).</summary>
    public string ActionsJson { get; set; } = "[]";

    public bool Enabled { get; set; } = true;

    /// <summary><c>tile</c> (the only kind Tessera has; <c>asset</c> rules are refused).</summary>
    public string Type { get; set; } = "tile";

    /// <summary>Optimistic-concurrency token.</summary>
    public int Version { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}

public enum RuleJobStatus
{
    Queued = 1,
    Running = 2,
    Done = 3,
    Failed = 4,
}

/// <summary>
/// A run of one rule over a stack's existing tiles (<c>PUT /api/tilerules/{id}/apply</c>). The
/// worker walks the tiles in <c>Seq</c> order and records how far it got, so progress can be read
/// back and an interrupted run resumes where it stopped.
/// </summary>
public sealed class RuleJob
{
    public int Id { get; set; }

    public int StackId { get; set; }

    public int RuleId { get; set; }

    public RuleJobStatus Status { get; set; } = RuleJobStatus.Queued;

    /// <summary>Tiles of the stack when the run started.</summary>
    public int Total { get; set; }

    public int Processed { get; set; }

    public int Matched { get; set; }

    public int Changed { get; set; }

    /// <summary>The last tile (by <c>Seq</c>) processed.</summary>
    public long LastSeq { get; set; }

    public string? Error { get; set; }

    public long CreatedAt { get; set; }

    public long? FinishedAt { get; set; }
}

internal sealed class TileRuleConfiguration : IEntityTypeConfiguration<TileRule>, IEntityTypeConfiguration<RuleJob>
{
    public void Configure(EntityTypeBuilder<TileRule> rule)
    {
        rule.ToTable("tile_rules");
        rule.HasIndex(r => r.StackId);
        rule.HasOne<Stack>().WithMany().HasForeignKey(r => r.StackId).OnDelete(DeleteBehavior.Cascade);
        rule.Property(r => r.Name).HasMaxLength(255);
        rule.Property(r => r.Type).HasMaxLength(16);
        rule.Property(r => r.Version).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<RuleJob> job)
    {
        job.ToTable("rule_jobs");
        job.HasIndex(j => new { j.Status, j.Id });
        job.HasIndex(j => j.RuleId);
        job.HasOne<TileRule>().WithMany().HasForeignKey(j => j.RuleId).OnDelete(DeleteBehavior.Cascade);
        job.Property(j => j.Error).HasMaxLength(1000);
    }
}
