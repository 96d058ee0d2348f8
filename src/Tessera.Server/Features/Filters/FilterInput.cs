using Tessera.Server.Compat;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.Filters;

/// <summary>Reads the writable filter fields (reference §2.3) onto a filter; create and update share it.</summary>
public static class FilterInput
{
    public static readonly IReadOnlyList<string> ClaimedChoices = ["no", "claimed_only", "unclaimed_only"];

    public const int MaxTags = 100;

    /// <summary>Reads every field but <c>tags</c>, which the caller checks against the stack.</summary>
    public static void Apply(FieldReader f, Filter filter, bool isCreate)
    {
        var name = f.String("name", 255);
        if (isCreate)
        {
            f.Require("name", name);
        }

        filter.Name = string.IsNullOrEmpty(name) ? filter.Name : name;
        filter.Sort = f.Enum("sort", FilterQuery.Sorts) ?? filter.Sort;
        filter.Networks = Distinct(f.EnumList("networks", TileRules.Networks)) ?? filter.Networks;
        filter.Media = Distinct(f.EnumList("media", TileRules.MediaKinds)) ?? filter.Media;
        filter.Enabled = f.Int("enabled", 0, 2) ?? filter.Enabled;
        filter.Orders = f.Int("orders", 0, 1_000_000) ?? filter.Orders;
        filter.FilterByClaimed = f.Enum("filter_by_claimed", ClaimedChoices) ?? filter.FilterByClaimed;
    }

    private static List<string>? Distinct(IReadOnlyList<string>? items) => items is null ? null : [.. items.Distinct()];
}
