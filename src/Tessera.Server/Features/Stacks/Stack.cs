namespace Tessera.Server.Features.Stacks;

/// <summary>A tenant: every resource belongs to exactly one stack.</summary>
public sealed class Stack
{
    public int Id { get; set; }

    /// <summary>Short name, as sent in the <c>stack</c> query parameter.</summary>
    public required string Name { get; set; }

    public long CreatedAt { get; set; }
}
