namespace Tessera.Server.Features.Filters;

/// <summary>
/// A saved tile query of a stack. Only what stack creation needs exists yet (the "Latest" filter);
/// the Filters API adds criteria and content queries.
/// </summary>
public sealed class Filter
{
    public int Id { get; set; }

    public int StackId { get; set; }

    public required string Name { get; set; }

    public required string Sort { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}
