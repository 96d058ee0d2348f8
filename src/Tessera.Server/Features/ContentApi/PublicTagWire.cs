using System.Text.Json;
using Tessera.Server.Features.Tags;

namespace Tessera.Server.Features.ContentApi;

/// <summary>
/// A publicly visible tag as public tiles list it (<c>tags_extended</c>): what a site shows and links
/// to, products included. Left out: the stack, <c>custom_fields</c> (the brand's own data), system and
/// visibility flags, voting and timestamps.
/// </summary>
public sealed record PublicTagWire(
    int Id,
    string Tag,
    string Slug,
    string Type,
    string Target,
    int Priority,
    string CustomUrl,
    string Price,
    string Currency,
    string ExtProductId,
    string Description,
    string ImageSmallUrl,
    int ImageSmallWidth,
    int ImageSmallHeight,
    string ImageMediumUrl,
    int ImageMediumWidth,
    int ImageMediumHeight,
    string Brand,
    IReadOnlyList<string> Categories,
    string AvailabilityStatus,
    string CtaText)
{
    public static PublicTagWire From(Tag t) => new(
        t.Id, t.Name, t.Slug, t.Type, t.Target, t.Priority, t.CustomUrl, t.Price, t.Currency, t.ExtProductId ?? string.Empty, t.Description,
        t.ImageSmallUrl, t.ImageSmallWidth, t.ImageSmallHeight, t.ImageMediumUrl, t.ImageMediumWidth, t.ImageMediumHeight,
        t.Brand, JsonSerializer.Deserialize<List<string>>(t.CategoriesJson) ?? [], t.AvailabilityStatus, t.CtaText);
}
