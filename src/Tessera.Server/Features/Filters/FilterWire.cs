namespace Tessera.Server.Features.Filters;

/// <summary>A filter as the API returns it; lists keep the order they were sent in (the SDK compares them).</summary>
public sealed record FilterWire(
    int Id,
    int StackId,
    string Name,
    string Sort,
    IReadOnlyList<string> Networks,
    IReadOnlyList<int> Tags,
    IReadOnlyList<string> Media,
    int Enabled,
    int Orders,
    string FilterByClaimed,
    long CreatedAt,
    long UpdatedAt)
{
    public static FilterWire From(Filter f) =>
        new(f.Id, f.StackId, f.Name, f.Sort, f.Networks, f.TagIds, f.Media, f.Enabled, f.Orders, f.FilterByClaimed, f.CreatedAt, f.UpdatedAt);
}

/// <summary>One entry of <c>GET /api/filters/{id}/summaries</c>: how many tiles of each status the filter matches.</summary>
public sealed record FilterSummary(int FilterId, string Status, long Quantity);
