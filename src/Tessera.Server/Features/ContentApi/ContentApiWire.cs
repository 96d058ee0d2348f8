namespace Tessera.Server.Features.ContentApi;

/// <summary>The plugin as <c>/api/contentapi</c> returns it (decisions §6), with the public URL it serves.</summary>
public sealed record ContentApiWire(
    string PluginId,
    string Url,
    int? FilterId,
    IReadOnlyList<string> AllowedDomains,
    bool Enabled,
    long CreatedAt,
    long UpdatedAt)
{
    public static ContentApiWire From(ContentApiPlugin plugin, string baseUrl) => new(
        plugin.PluginId,
        $"{baseUrl}/content_api/{plugin.PluginId}",
        plugin.FilterId,
        plugin.AllowedDomains,
        plugin.Enabled,
        plugin.CreatedAt,
        plugin.UpdatedAt);
}
