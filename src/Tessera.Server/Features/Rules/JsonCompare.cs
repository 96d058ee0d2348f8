using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Server.Features.Rules;

/// <summary>
/// How trigger values compare (see <see cref="TriggerQuery"/>): numbers numerically, a number and a
/// numeric string as numbers, true/false as 1/0 against numbers, strings ordinally, objects and arrays
/// by deep equality. Values of kinds that do not compare are neither equal nor ordered.
/// </summary>
public static class JsonCompare
{
    public static bool AreEqual(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is JsonValue x && b is JsonValue y)
        {
            return Kind(x) == Kind(y) && Kind(x) is JsonValueKind.String
                ? string.Equals(x.GetValue<string>(), y.GetValue<string>(), StringComparison.Ordinal)
                : Order(x, y) == 0;
        }

        return JsonNode.DeepEquals(a, b);
    }

    /// <summary>The order of <paramref name="a"/> relative to <paramref name="b"/>, or null when they do not compare.</summary>
    public static int? Order(JsonNode? a, JsonNode? b)
    {
        if (a is not JsonValue x || b is not JsonValue y)
        {
            return null;
        }

        var (kindA, kindB) = (Kind(x), Kind(y));
        if (kindA == JsonValueKind.String && kindB == JsonValueKind.String)
        {
            return Math.Sign(string.CompareOrdinal(x.GetValue<string>(), y.GetValue<string>()));
        }

        if (IsBoolean(kindA) && IsBoolean(kindB))
        {
            return (kindA == JsonValueKind.True).CompareTo(kindB == JsonValueKind.True);
        }

        return Number(x) is { } m && Number(y) is { } n ? m.CompareTo(n) : null;
    }

    /// <summary>A value as a number: numbers, numeric strings, and booleans as 1/0.</summary>
    private static double? Number(JsonValue value) => Kind(value) switch
    {
        JsonValueKind.Number when value.TryGetValue<double>(out var d) => d,
        JsonValueKind.String when double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => null,
    };

    private static bool IsBoolean(JsonValueKind kind) => kind is JsonValueKind.True or JsonValueKind.False;

    private static JsonValueKind Kind(JsonValue value) => value.GetValueKind();
}
