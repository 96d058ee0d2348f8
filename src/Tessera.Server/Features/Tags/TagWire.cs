using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Server.Features.Tags;

/// <summary>A tag as the API returns it. Booleans are 0/1 and timestamps UNIX seconds, as Stackla sends them.</summary>
public sealed record TagWire(
    int Id,
    int StackId,
    string Tag,
    string Slug,
    int CustomSlug,
    string Type,
    int PubliclyVisible,
    string Target,
    int SystemTag,
    int Priority,
    string CustomUrl,
    string Price,
    string ExtProductId,
    string Description,
    string ImageSmallUrl,
    int ImageSmallWidth,
    int ImageSmallHeight,
    string ImageMediumUrl,
    int ImageMediumWidth,
    int ImageMediumHeight,
    int VoteEnabled,
    string Brand,
    IReadOnlyList<string> Categories,
    string Currency,
    string AvailabilityStatus,
    string CtaText,
    JsonObject CustomFields,
    long CreatedAt,
    long UpdatedAt)
{
    public static TagWire From(Tag t) => new(
        t.Id, t.StackId, t.Name, t.Slug, Bit(t.CustomSlug), t.Type, Bit(t.PubliclyVisible), t.Target, Bit(t.SystemTag), t.Priority,
        t.CustomUrl, t.Price, t.ExtProductId ?? string.Empty, t.Description,
        t.ImageSmallUrl, t.ImageSmallWidth, t.ImageSmallHeight, t.ImageMediumUrl, t.ImageMediumWidth, t.ImageMediumHeight,
        Bit(t.VoteEnabled), t.Brand, JsonSerializer.Deserialize<List<string>>(t.CategoriesJson) ?? [], t.Currency,
        t.AvailabilityStatus, t.CtaText, JsonNode.Parse(t.CustomFieldsJson)?.AsObject() ?? [], t.CreatedAt, t.UpdatedAt);

    private static int Bit(bool value) => value ? 1 : 0;
}

/// <summary>One entry of <c>GET /api/tags/{id}/summaries</c>.</summary>
public sealed record TagSummary(int TagId, long Quantity);
