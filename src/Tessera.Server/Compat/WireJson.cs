using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Tessera.Server.Compat;

/// <summary>The JSON settings of the wire: snake_case names, every script unescaped but HTML-sensitive characters.</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}
