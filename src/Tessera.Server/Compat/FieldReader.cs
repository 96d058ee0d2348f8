using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Server.Compat;

/// <summary>
/// Reads typed, bounded fields out of <see cref="ApiParameters"/> with the Stackla value rules:
/// an empty value is 0 / false / an empty list; lists arrive as PHP bracket arrays, JSON arrays or
/// CSV strings; booleans as 0/1, true/false. Each invalid field adds one error naming the field,
/// so a handler validates everything first and writes nothing when <see cref="HasErrors"/>.
/// A getter returns null when the field is absent (or invalid).
/// </summary>
public sealed class FieldReader(ApiParameters parameters, ApiResource resource)
{
    public const int DefaultMaxLength = 1024;
    public const int DefaultMaxItems = 100;

    private readonly List<ApiError> _errors = [];
    private readonly HashSet<string> _failedFields = new(StringComparer.Ordinal);

    public IReadOnlyList<ApiError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public bool Has(string name) => parameters.Has(Key(name));

    /// <summary>True when the field is absent or given with an empty value.</summary>
    public bool IsBlank(string name) => parameters[Key(name)] is null || (parameters[Key(name)] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0);

    /// <summary>The key the request used for a field: its canonical name, else one of its <see cref="FieldAliases"/>.</summary>
    private string Key(string name)
    {
        if (!parameters.Has(name))
        {
            foreach (var alias in FieldAliases.Of(resource, name))
            {
                if (parameters.Has(alias))
                {
                    return alias;
                }
            }
        }

        return name;
    }

    public void AddError(string field, string message, string reason = "invalid_field")
    {
        _failedFields.Add(field);
        _errors.Add(ApiError.Create(resource, StatusCodes.Status400BadRequest, reason, $"{field}: {message}"));
    }

    /// <summary>Adds an error when a required field is absent or blank.</summary>
    public void Require(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) && !_failedFields.Contains(name))
        {
            AddError(name, "is required", "missing_field");
        }
    }

    public string? String(string name, int maxLength = DefaultMaxLength, int minLength = 0)
    {
        if (!Has(name))
        {
            return null;
        }

        var text = AsText(parameters[Key(name)]);
        if (text is null)
        {
            AddError(name, "must be a string");
            return null;
        }

        return CheckText(name, text.Trim(), maxLength, minLength);
    }

    /// <summary>An absolute http(s) URL, or empty.</summary>
    public string? Url(string name, int maxLength = 2048)
    {
        var value = String(name, maxLength);
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            AddError(name, "must be an absolute http or https URL");
            return null;
        }

        return value;
    }

    /// <summary>A string that must be one of <paramref name="allowed"/> (compared case-insensitively; returned as listed).</summary>
    public string? Enum(string name, IReadOnlyCollection<string> allowed, IReadOnlyDictionary<string, string>? aliases = null)
    {
        var value = String(name, 64);
        if (value is null)
        {
            return null;
        }

        if (aliases is not null && aliases.TryGetValue(value.ToLowerInvariant(), out var canonical))
        {
            return canonical;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            AddError(name, $"must be one of {string.Join(", ", allowed.Where(a => a.Length > 0))}");
        }

        return match;
    }

    public int? Int(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!Has(name))
        {
            return null;
        }

        long? value = parameters[Key(name)] switch
        {
            null => 0,
            JsonValue v when v.TryGetValue<long>(out var n) => n,
            JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 1e15 => (long)d,
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? 1 : 0,
            JsonValue v when v.TryGetValue<string>(out var s) => ParseInteger(s),
            _ => null,
        };
        if (value is null)
        {
            AddError(name, "must be an integer");
            return null;
        }

        if (value < min || value > max)
        {
            AddError(name, $"must be between {min} and {max}");
            return null;
        }

        return (int)value;
    }

    /// <summary>
    /// A Stackla on/off value: <c>true</c>/<c>false</c>, <c>1</c>/<c>0</c> (numbers or strings), or an
    /// empty string (off, as the PHP SDK sends 0). Null when the value is none of these.
    /// </summary>
    public static bool? Flag(JsonNode node) => node switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<double>(out var n) && n is 0 or 1 => n == 1,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Trim().ToLowerInvariant() switch
        {
            "" or "0" or "false" => false,
            "1" or "true" => true,
            _ => null,
        },
        _ => null,
    };

    public bool? Bool(string name)
    {
        if (!Has(name))
        {
            return null;
        }

        var value = parameters[Key(name)] is { } node ? Flag(node) : false;
        if (value is null)
        {
            AddError(name, "must be 0 or 1 (or true / false)");
        }

        return value;
    }

    /// <summary>A list of strings from a bracket array, a JSON array or a CSV string; empty value → empty list.</summary>
    public IReadOnlyList<string>? StringList(string name, int maxItems = DefaultMaxItems, int maxLength = 255)
    {
        if (!Has(name))
        {
            return null;
        }

        var items = ListItems(parameters[Key(name)]);
        if (items is null)
        {
            AddError(name, "must be a list (array, bracket array or comma-separated string)");
            return null;
        }

        if (items.Count > maxItems)
        {
            AddError(name, $"has more than {maxItems} items");
            return null;
        }

        var result = new List<string>(items.Count);
        foreach (var item in items)
        {
            var text = CheckText(name, item.Trim(), maxLength, 0);
            if (text is null)
            {
                return null;
            }

            if (text.Length > 0)
            {
                result.Add(text);
            }
        }

        return result;
    }

    /// <summary>A list whose every item must be one of <paramref name="allowed"/> (e.g. <c>type=product,content</c>).</summary>
    public IReadOnlyList<string>? EnumList(string name, IReadOnlyCollection<string> allowed)
    {
        var items = StringList(name, allowed.Count, 64);
        var unknown = items?.FirstOrDefault(i => !allowed.Contains(i));
        if (unknown is not null)
        {
            AddError(name, $"'{Truncate(unknown)}' is not one of {string.Join(", ", allowed)}");
            return null;
        }

        return items;
    }

    /// <summary>A list of positive integer ids (tag ids, say) in any list form; empty value → empty list.</summary>
    public IReadOnlyList<int>? IdList(string name, int maxItems = DefaultMaxItems)
    {
        var items = StringList(name, maxItems, 20);
        if (items is null)
        {
            return null;
        }

        var ids = new List<int>(items.Count);
        foreach (var item in items)
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                AddError(name, $"'{Truncate(item)}' is not a positive integer id");
                return null;
            }

            ids.Add(id);
        }

        return ids;
    }

    /// <summary>
    /// A JSON object given as an object, a bracket array or a JSON string; empty value → empty object.
    /// With <paramref name="bracketLists"/>, the bracket arrays inside it become arrays (see <see cref="WithLists"/>).
    /// </summary>
    public JsonObject? Object(string name, int maxBytes = 16 * 1024, bool bracketLists = false, int maxDepth = ApiRequestReader.MaxJsonDepth) =>
        Json(name, maxBytes, maxDepth, "must be a JSON object", node => node switch
        {
            null => [],
            JsonObject o when bracketLists => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, WithLists(p.Value)))),
            JsonObject o => o,
            JsonArray { Count: 0 } => [],
            _ => null,
        });

    /// <summary>
    /// A JSON array given as an array, a PHP bracket array (numeric keys, taken in index order) or a JSON
    /// string; empty value → empty array. Items are returned as sent (objects stay objects), but with
    /// <paramref name="bracketLists"/> the bracket arrays inside them become arrays (see <see cref="WithLists"/>).
    /// </summary>
    public JsonArray? Array(string name, int maxBytes = 16 * 1024, bool bracketLists = false, int maxDepth = ApiRequestReader.MaxJsonDepth) =>
        Json(name, maxBytes, maxDepth, "must be a JSON array", node => node switch
        {
            null => [],
            JsonArray a when bracketLists => new JsonArray([.. a.Select(WithLists)]),
            JsonArray a => a,
            JsonObject o when BracketItems(o) is { } items => new JsonArray([.. items.Select(item => bracketLists ? WithLists(item) : item?.DeepClone())]),
            _ => null,
        });

    /// <summary>
    /// A field's value as sent, of any JSON shape (a string stays a string), bounded in size and depth;
    /// null when the field is absent, sent as JSON null, or invalid. For fields stored and returned as is.
    /// </summary>
    public JsonNode? Value(string name, int maxBytes = 16 * 1024, int maxDepth = ApiRequestReader.MaxJsonDepth)
    {
        if (!Has(name) || parameters[Key(name)] is not { } node)
        {
            return null;
        }

        return CheckSize(name, node.DeepClone(), maxBytes, maxDepth);
    }

    /// <summary>How deeply <paramref name="node"/> nests: 0 for a scalar, 1 for a flat object or array.</summary>
    public static int Depth(JsonNode? node) => node switch
    {
        JsonObject o => 1 + o.Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonArray a => 1 + a.Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    /// <summary>A JSON value sent as itself or as a JSON string (an empty one is null), shaped by <paramref name="shape"/> and bounded in size.</summary>
    private T? Json<T>(string name, int maxBytes, int maxDepth, string expected, Func<JsonNode?, T?> shape)
        where T : JsonNode
    {
        if (!Has(name))
        {
            return null;
        }

        var node = parameters[Key(name)];
        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            node = string.IsNullOrWhiteSpace(s) ? null : TryParse(s);
        }

        var value = shape(node);
        if (value is null)
        {
            AddError(name, expected);
            return null;
        }

        return CheckSize(name, value, maxBytes, maxDepth);
    }

    private T? CheckSize<T>(string name, T value, int maxBytes, int maxDepth)
        where T : JsonNode
    {
        if (value.ToJsonString().Length > maxBytes)
        {
            AddError(name, $"is larger than {maxBytes} bytes");
            return null;
        }

        if (Depth(value) > maxDepth)
        {
            AddError(name, $"is nested more than {maxDepth} levels deep");
            return null;
        }

        return value;
    }

    /// <summary>
    /// A copy of <paramref name="node"/> in which every non-empty object whose keys are all indexes is an
    /// array, in index order: a nested PHP bracket array (<c>action[0][value][0]=5</c>, as PHP's
    /// <c>http_build_query</c> writes lists) read as the list that PHP's <c>json_encode</c> would have sent.
    /// </summary>
    private static JsonNode? WithLists(JsonNode? node) => node switch
    {
        JsonObject { Count: > 0 } o when BracketItems(o) is { } items => new JsonArray([.. items.Select(WithLists)]),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, WithLists(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(WithLists)]),
        _ => node?.DeepClone(),
    };

    /// <summary>A PHP bracket array's items in index order, when every key is an index (sparse is fine); else null.</summary>
    private static IEnumerable<JsonNode?>? BracketItems(JsonObject obj) =>
        obj.All(p => int.TryParse(p.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            ? obj.OrderBy(p => int.Parse(p.Key, CultureInfo.InvariantCulture)).Select(p => p.Value)
            : null;

    private string? CheckText(string name, string text, int maxLength, int minLength)
    {
        if (text.Length > maxLength)
        {
            AddError(name, $"is longer than {maxLength} characters");
            return null;
        }

        if (text.Length < minLength)
        {
            AddError(name, $"is shorter than {minLength} characters");
            return null;
        }

        if (!IsCleanText(text))
        {
            AddError(name, "contains control characters or invalid Unicode");
            return null;
        }

        return text;
    }

    /// <summary>No control characters but tab and newlines, no lone surrogates (PostgreSQL refuses both).</summary>
    public static bool IsCleanText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c < ' ' && c is not ('\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF')
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string? AsText(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() is JsonValueKind.Number => v.ToJsonString(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "1" : "0",
        _ => null,
    };

    private static List<string>? ListItems(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return [];
            case JsonArray array:
                return ScalarItems(array);
            case JsonObject obj:
                return ScalarItems(BracketItems(obj) ?? obj.Select(p => p.Value));
            case JsonValue v when AsText(v) is { } text:
                var trimmed = text.Trim();
                if (trimmed.StartsWith('[') && TryParse(trimmed) is JsonArray parsed)
                {
                    return ScalarItems(parsed);
                }

                return trimmed.Length == 0 ? [] : [.. trimmed.Split(',')];
            default:
                return null;
        }
    }

    private static List<string>? ScalarItems(IEnumerable<JsonNode?> nodes)
    {
        var items = new List<string>();
        foreach (var node in nodes)
        {
            if (node is JsonObject or JsonArray || AsText(node) is not { } text)
            {
                return null;
            }

            items.Add(text);
        }

        return items;
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            var node = JsonNode.Parse(text, documentOptions: ApiRequestReader.JsonOptions);
            _ = node?.ToJsonString(); // materialise now: duplicate keys throw here, not later
            return node;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return JsonValue.Create(text);
        }
    }

    private static long? ParseInteger(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return 0;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
