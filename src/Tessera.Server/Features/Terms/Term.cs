namespace Tessera.Server.Features.Terms;

/// <summary>
/// An aggregation term of a stack (what to collect, from which network). Only what stack creation
/// needs exists yet (the "UGC Post Feed" term); the Terms API adds the rest.
/// </summary>
public sealed class Term
{
    public int Id { get; set; }

    public int StackId { get; set; }

    public required string Name { get; set; }

    public required string DisplayName { get; set; }

    public required string Network { get; set; }

    public required string Type { get; set; }

    public string TermText { get; set; } = string.Empty;

    public string ModerateText { get; set; } = "publish";

    public string ModerateImage { get; set; } = "publish";

    public string ModerateVideo { get; set; } = "publish";

    public bool Active { get; set; } = true;

    public long CreatedAt { get; set; }

    public long ModifiedAt { get; set; }
}
