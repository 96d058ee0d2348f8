namespace Tessera.Server.Features.Filters;

/// <summary>
/// A saved tile query of a stack (reference §2.3, decisions §2.11): tiles whose network is in
/// <see cref="Networks"/>, media in <see cref="Media"/> and that carry any of <see cref="TagIds"/>
/// (an empty list means no restriction), sorted by <see cref="Sort"/>.
/// </summary>
public sealed class Filter
{
    public int Id { get; set; }

    public int StackId { get; set; }

    public required string Name { get; set; }

    public required string Sort { get; set; }

    public List<string> Networks { get; set; } = [];

    public List<string> Media { get; set; } = [];

    public List<int> TagIds { get; set; } = [];

    /// <summary>Display in the hub: 0 hidden, 1 panel, 2 bar.</summary>
    public int Enabled { get; set; } = 1;

    public int Orders { get; set; }

    /// <summary><c>no</c>, <c>claimed_only</c> or <c>unclaimed_only</c>.</summary>
    public string FilterByClaimed { get; set; } = "no";

    /// <summary>Optimistic-concurrency token: every update increments it, so of two concurrent updates one gets a 409.</summary>
    public int Version { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}
