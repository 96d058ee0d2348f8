using System.Text.Json.Nodes;

namespace Tessera.Server.Compat;

/// <summary>
/// Every parameter of one API request, merged from the query string and the body (urlencoded form,
/// multipart form or JSON) into a single JSON tree. PHP bracket keys become nested nodes:
/// <c>tags[0]=1&amp;tags[2]=5</c> is <c>{"tags": {"0": "1", "2": "5"}}</c> and <c>tags[]=</c> an array.
/// Body values win over query values. Features read typed fields through <see cref="FieldReader"/>.
/// </summary>
public sealed class ApiParameters
{
    public const int MaxPairs = 1000;
    public const int MaxKeyDepth = 6;

    private readonly JsonObject _root;
    private readonly JsonObject _query;

    /// <param name="root">Query and body merged (body wins).</param>
    /// <param name="query">The query-string parameters alone.</param>
    /// <param name="files">Uploaded files of a multipart request.</param>
    private ApiParameters(JsonObject root, JsonObject query, IFormFileCollection? files = null)
    {
        _root = root;
        _query = query;
        Files = files;
    }

    public static ApiParameters Empty { get; } = FromQuery([]);

    /// <summary>Parameters of a request whose only parameters are in the query string.</summary>
    public static ApiParameters FromQuery(JsonObject query) => new(query, query);

    /// <summary>Uploaded files of a multipart request (images for tiles), or null.</summary>
    public IFormFileCollection? Files { get; }

    /// <summary>Minimal-API binding: the parameters the API gateway read for this request.</summary>
    public static ValueTask<ApiParameters?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<ApiParameters?>(context.Features.Get<ApiParameters>() ?? Empty);

    public bool Has(string name) => _root.ContainsKey(name);

    /// <summary>The top-level parameter names, query and body merged (for features that refuse unknown keys).</summary>
    public IEnumerable<string> Names => _root.Select(p => p.Key);

    public JsonNode? this[string name] => _root.TryGetPropertyValue(name, out var node) ? node : null;

    /// <summary>A scalar parameter as text, for credentials.</summary>
    public string? GetText(string name) => Text(_root, name);

    /// <summary>A scalar parameter of the query string only (the SDK sends <c>stack</c> there; a body field never overrides it).</summary>
    public string? GetQueryText(string name) => Text(_query, name);

    /// <summary>A copy of the query-string parameters, for merging a body over them.</summary>
    public JsonObject CopyQuery() => _query.DeepClone().AsObject();

    /// <summary>These query parameters with a body merged over them (<paramref name="merged"/>, from <see cref="CopyQuery"/>).</summary>
    public ApiParameters WithBody(JsonObject merged, IFormFileCollection? files = null) => new(merged, _query, files);

    private static string? Text(JsonObject tree, string name) =>
        tree.TryGetPropertyValue(name, out var node) && node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToString();

    /// <summary>Builds a tree from urlencoded pairs, expanding PHP bracket keys.</summary>
    public static JsonObject FromPairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var root = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            Insert(root, SplitKey(key), JsonValue.Create(value));
        }

        return root;
    }

    /// <summary>Copies every top-level member of <paramref name="source"/> over <paramref name="target"/>.</summary>
    public static void MergeInto(JsonObject target, JsonObject source)
    {
        foreach (var key in source.Select(p => p.Key).ToList())
        {
            var node = source[key];
            source.Remove(key);
            target[key] = node;
        }
    }

    private static List<string> SplitKey(string key)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0 || !key.EndsWith(']'))
        {
            return [key];
        }

        var parts = new List<string> { key[..open] };
        var rest = key.AsSpan(open);
        while (rest.Length > 0)
        {
            var close = rest.IndexOf(']');
            if (rest[0] != '[' || close < 0)
            {
                // Not a well-formed bracket key: PHP keeps the remainder as a literal name.
                return [key];
            }

            parts.Add(rest[1..close].ToString());
            rest = rest[(close + 1)..];
        }

        if (parts.Count > MaxKeyDepth)
        {
            throw new ApiInputException($"parameter '{parts[0]}' is nested too deeply (at most {MaxKeyDepth - 1} levels)");
        }

        return parts;
    }

    /// <summary>PHP's next index for "a[]": one past the largest numeric key so far.</summary>
    private static string NextIndex(JsonObject obj)
    {
        var max = -1;
        foreach (var (key, _) in obj)
        {
            if (int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index > max)
            {
                max = index;
            }
        }

        return (max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Insert(JsonObject root, List<string> path, JsonNode? value)
    {
        JsonNode container = root;
        for (var i = 0; i < path.Count; i++)
        {
            var segment = path[i];
            var last = i == path.Count - 1;
            var next = last ? value : path[i + 1].Length == 0 ? new JsonArray() : new JsonObject();

            switch (container)
            {
                case JsonArray array:
                    // As in PHP, every "[]" (or any key below a list) appends a new element.
                    array.Add(next);
                    container = next!;
                    break;

                case JsonObject obj:
                    var name = segment.Length == 0 ? NextIndex(obj) : segment;
                    if (!last && obj[name] is JsonObject or JsonArray)
                    {
                        container = obj[name]!;
                    }
                    else
                    {
                        obj[name] = next;
                        container = next!;
                    }

                    break;

                default:
                    return;
            }
        }
    }
}
