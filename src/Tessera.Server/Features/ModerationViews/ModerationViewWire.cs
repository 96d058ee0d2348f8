using static Tessera.Server.Features.ModerationViews.ModerationViewFields;

namespace Tessera.Server.Features.ModerationViews;

/// <summary>
/// A moderation view as the API returns it: the nested read shape (reference §2.6). Every key of every
/// group is present; one never sent has its default (columns false, lists empty, <c>filter_by_claimed</c>
/// <c>no</c>, <c>all_content_length</c> 25, <c>display</c> <c>table</c>, dates null).
/// </summary>
public sealed record ModerationViewWire(
    int Id,
    string ViewName,
    string Type,
    string AccessType,
    int StackId,
    int OwnerId,
    IReadOnlyDictionary<string, bool> Column,
    ModerationViewFilterWire Filter,
    ModerationViewOtherWire Other,
    ModerationViewDateWire Date,
    string SortBy,
    long CreatedAt,
    long UpdatedAt)
{
    public static ModerationViewWire From(ModerationView v)
    {
        var columns = ModerationViewGroups.Parse(v.Columns);
        var filter = ModerationViewGroups.Parse(v.Filter);
        var other = ModerationViewGroups.Parse(v.Other);
        var date = ModerationViewGroups.Parse(v.DateRange);
        var column = new Dictionary<string, bool>(Columns.Count);
        foreach (var key in Columns)
        {
            column[key] = ModerationViewGroups.Bool(columns, key);
        }

        return new(
            v.Id,
            v.ViewName,
            v.Type,
            v.AccessType,
            v.StackId,
            v.OwnerId,
            column,
            new ModerationViewFilterWire(
                ModerationViewGroups.String(filter, "content_search", string.Empty),
                ModerationViewGroups.Strings(filter, "origin"),
                ModerationViewGroups.Strings(filter, "media"),
                ModerationViewGroups.Bool(filter, "abuse"),
                ModerationViewGroups.String(filter, "filter_by_claimed", ClaimedChoices[0]),
                ModerationViewGroups.Bool(filter, "filter_by_geolocation"),
                ModerationViewGroups.Ids(filter, "tags"),
                ModerationViewGroups.Ids(filter, "terms")),
            new ModerationViewOtherWire(
                ModerationViewGroups.Int(other, "all_content_length", DefaultContentLength),
                ModerationViewGroups.Bool(other, "live_updates"),
                ModerationViewGroups.String(other, "display", Displays[0])),
            new ModerationViewDateWire(
                ModerationViewGroups.Date(date, "from") is { } from ? ModerationViewGroups.FormatDate(from) : null,
                ModerationViewGroups.Date(date, "to") is { } to ? ModerationViewGroups.FormatDate(to) : null),
            v.SortBy,
            v.CreatedAt,
            v.UpdatedAt);
    }
}

/// <summary>The <c>filter_value_*</c> keys without their prefix.</summary>
public sealed record ModerationViewFilterWire(
    string ContentSearch,
    IReadOnlyList<string> Origin,
    IReadOnlyList<string> Media,
    bool Abuse,
    string FilterByClaimed,
    bool FilterByGeolocation,
    IReadOnlyList<int> Tags,
    IReadOnlyList<int> Terms);

/// <summary>The <c>other_*</c> keys without their prefix.</summary>
public sealed record ModerationViewOtherWire(int AllContentLength, bool LiveUpdates, string Display);

/// <summary>The <c>date_range_*</c> keys without their prefix: ISO 8601 UTC date-times, or null.</summary>
public sealed record ModerationViewDateWire(string? From, string? To);
