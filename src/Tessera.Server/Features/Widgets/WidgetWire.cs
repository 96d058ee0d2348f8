using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tessera.Server.Features.Widgets;

/// <summary>
/// A widget as the API returns it (reference §2.5): <c>style</c> and <c>config</c> as objects,
/// ISO <c>created</c>/<c>modified</c> beside UNIX <c>created_at</c>/<c>updated_at</c>, the embed
/// code, and the NextGen fields the client sent (<see cref="Extra"/>) as top-level members.
/// </summary>
public sealed record WidgetWire(
    int Id,
    int StackId,
    string Guid,
    int WidgetTypeId,
    int Gen,
    JsonObject Style,
    JsonObject Config,
    int FilterId,
    int? ParentId,
    bool Enabled,
    string CustomCss,
    string LightboxCustomCss,
    string CustomJs,
    string LightboxCustomJs,
    string ExternalJs,
    string EmbedCode,
    string Created,
    string Modified,
    long CreatedAt,
    long UpdatedAt)
{
    /// <summary>Every widget is a classic (gen 2) widget of type 1 for now.</summary>
    public const int ClassicTypeId = 1;

    public const int ClassicGen = 2;

    /// <summary>The stored extra fields (<c>css</c>, <c>custom_templates</c>, …), written beside the others.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }

    public static WidgetWire From(Widget w, string baseUrl) =>
        new(
            w.Id,
            w.StackId,
            w.Guid,
            ClassicTypeId,
            ClassicGen,
            ParseObject(w.Style),
            ParseObject(w.Config),
            w.FilterId,
            w.ParentId,
            w.Enabled,
            w.CustomCss,
            w.LightboxCustomCss,
            w.CustomJs,
            w.LightboxCustomJs,
            w.ExternalJs,
            Widgets.EmbedCode.For(w.Id, w.Guid, baseUrl),
            Iso(w.CreatedAt),
            Iso(w.UpdatedAt),
            w.CreatedAt,
            w.UpdatedAt)
        {
            Extra = Members(w.Extra),
        };

    /// <summary>ISO 8601 in UTC, as PHP's <c>DATE_ATOM</c> writes it: <c>2024-03-01T05:39:24+00:00</c>.</summary>
    public static string Iso(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static JsonObject ParseObject(string json) => JsonNode.Parse(json) as JsonObject ?? [];

    private static Dictionary<string, JsonElement>? Members(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var members = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        return members.Count > 0 ? members : null;
    }
}
