namespace Tessera.Server.Compat;

/// <summary>
/// Other spellings Stackla clients send for a field (reference §4.1): <see cref="FieldReader"/> reads
/// them as the canonical field when it is absent, so features only ever name the canonical one.
/// </summary>
internal static class FieldAliases
{
    private static readonly Dictionary<(ApiResource, string), string[]> Aliases = new()
    {
        // The SDK README's names for the filter display fields.
        [(ApiResource.Filters, "enabled")] = ["enable"],
        [(ApiResource.Filters, "orders")] = ["order"],
        // The SDK README's spelling.
        [(ApiResource.Terms, "minimum_followers")] = ["minimum_fallowers"],
        // The SDK's Tile class has both "image" and "image_url" for the full-size image.
        [(ApiResource.Tiles, "image_url")] = ["image"],
    };

    public static IReadOnlyList<string> Of(ApiResource resource, string field) =>
        Aliases.TryGetValue((resource, field), out var aliases) ? aliases : [];
}
