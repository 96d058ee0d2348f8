using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tessera.Server.Features.Rules;

/// <summary>
/// A rule's trigger, compiled once: a MongoDB-style query (reference §2.8) evaluated against a tile in
/// its management wire shape (<see cref="RuleDocument"/>). Supported: <c>$eq $ne $gt $gte $lt $lte $in
/// $nin $exists $regex</c> (with <c>$options</c> i, m, s, x) <c>$not $all $elemMatch $size</c> on fields,
/// <c>$and $or $nor</c> (and <c>$not</c> over a whole query) at any level, implicit equality and implicit
/// AND, dotted paths. <c>$where</c> and <c>$type</c> are refused. As in MongoDB, a field that holds an
/// array matches when the array itself or any of its elements does.
/// </summary>
/// <remarks>
/// Comparison is pragmatic rather than type-bracketed: a number and a string compare as numbers when the
/// string is a number (tile <c>tags</c> are id strings, and <c>{"tags": 5}</c> matches <c>"5"</c>), true and
/// false equal 1 and 0, strings compare ordinally (case-sensitive), and anything else of different kinds
/// never matches an ordering operator. Regexes run on the non-backtracking engine with a match timeout, so
/// no pattern can stall ingestion.
/// </remarks>
public sealed class TriggerQuery
{
    /// <summary>How deeply operators may nest.</summary>
    public const int MaxDepth = 12;

    /// <summary>The most conditions (fields, operators, list items) in one trigger.</summary>
    public const int MaxNodes = 500;

    public const int MaxPatternLength = 512;

    public const int MaxPathLength = 255;

    /// <summary>How long one regex match may take; a match that runs out counts as no match.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Condition _root;

    private TriggerQuery(Condition root) => _root = root;

    /// <summary>Compiles a trigger object; throws <see cref="RuleInputException"/> naming where it is invalid.</summary>
    public static TriggerQuery Parse(JsonObject trigger) => new(new Parser().Query(trigger, string.Empty, 0));

    /// <summary>Whether a tile document (its wire JSON) matches.</summary>
    public bool Matches(JsonNode? document) => _root.Matches(document);

    /// <summary>A test on a whole document (or, inside <c>$elemMatch</c>, on one array element).</summary>
    private abstract class Condition
    {
        public abstract bool Matches(JsonNode? document);
    }

    private sealed class AllOf(List<Condition> parts) : Condition
    {
        public override bool Matches(JsonNode? document) => parts.TrueForAll(p => p.Matches(document));
    }

    private sealed class AnyOf(List<Condition> parts) : Condition
    {
        public override bool Matches(JsonNode? document) => parts.Exists(p => p.Matches(document));
    }

    private sealed class Negation(Condition inner) : Condition
    {
        public override bool Matches(JsonNode? document) => !inner.Matches(document);
    }

    /// <summary>A field path and the test its values must pass.</summary>
    private sealed class FieldCondition(string[] path, FieldTest test) : Condition
    {
        public override bool Matches(JsonNode? document) => test.Passes(Resolve(document, path));
    }

    /// <summary>
    /// The values at a dotted path, MongoDB style: through an array, a name applies to each element (and a
    /// number also indexes the array). An absent path gives no values; a JSON null gives a null value.
    /// </summary>
    private static List<JsonNode?> Resolve(JsonNode? document, string[] path)
    {
        var current = new List<JsonNode?> { document };
        foreach (var segment in path)
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                Step(node, segment, next);
            }

            current = next;
            if (current.Count == 0)
            {
                break;
            }
        }

        return current;
    }

    private static void Step(JsonNode? node, string segment, List<JsonNode?> into)
    {
        switch (node)
        {
            case JsonObject obj when obj.TryGetPropertyValue(segment, out var value):
                into.Add(value);
                break;
            case JsonArray array:
                if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count)
                {
                    into.Add(array[index]);
                }

                foreach (var item in array)
                {
                    if (item is JsonObject element && element.TryGetPropertyValue(segment, out var inner))
                    {
                        into.Add(inner);
                    }
                }

                break;
        }
    }

    /// <summary>The values a scalar test looks at: each value, and the elements of those that are arrays.</summary>
    private static IEnumerable<JsonNode?> Candidates(List<JsonNode?> values)
    {
        foreach (var value in values)
        {
            yield return value;
            if (value is JsonArray array)
            {
                foreach (var item in array)
                {
                    yield return item;
                }
            }
        }
    }

    /// <summary>A test on the values found at a field's path.</summary>
    private abstract class FieldTest
    {
        public abstract bool Passes(List<JsonNode?> values);
    }

    private sealed class AllTests(List<FieldTest> tests) : FieldTest
    {
        public override bool Passes(List<JsonNode?> values) => tests.TrueForAll(t => t.Passes(values));
    }

    private sealed class NotTest(FieldTest inner) : FieldTest
    {
        public override bool Passes(List<JsonNode?> values) => !inner.Passes(values);
    }

    /// <summary><c>$eq</c> (and implicit equality); null matches an absent field too.</summary>
    private sealed class EqualsTest(JsonNode? expected) : FieldTest
    {
        public override bool Passes(List<JsonNode?> values) =>
            (expected is null && values.Count == 0) || Candidates(values).Any(c => JsonCompare.AreEqual(c, expected));
    }

    private sealed class InTest(List<JsonNode?> expected) : FieldTest
    {
        public override bool Passes(List<JsonNode?> values) =>
            (values.Count == 0 && expected.Contains(null)) || Candidates(values).Any(c => expected.Exists(e => JsonCompare.AreEqual(c, e)));
    }

    private sealed class OrderTest(JsonNode bound, Func<int, bool> accepts) : FieldTest
    {
        public override bool Passes(List<JsonNode?> values) =>
            Candidates(values).Any(c => JsonCompare.Order(c, bound) is { } order && accepts(order));
    }

    private sealed class ExistsTest(bool wanted) : FieldTest
    {
        public override bool Passes(List<JsonNode?> values) => (values.Count > 0) == wanted;
    }

    private sealed class RegexTest(Regex regex) : FieldTest
    {
        public override bool Passes(List<JsonNode?> values) =>
            Candidates(values).Any(c => c is JsonValue v && v.GetValueKind() == JsonValueKind.String && IsMatch(v.GetValue<string>()));

        private bool IsMatch(string text)
        {
            try
            {
                return regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
    }

    /// <summary><c>$all</c>: every listed value is among the field's values (an empty list matches nothing).</summary>
    private sealed class AllValuesTest(List<JsonNode?> expected) : FieldTest
    {
        public override bool Passes(List<JsonNode?> values) =>
            expected.Count > 0 && expected.TrueForAll(e => Candidates(values).Any(c => JsonCompare.AreEqual(c, e)));
    }

    private sealed class SizeTest(int size) : FieldTest
    {
        public override bool Passes(List<JsonNode?> values) => values.Exists(v => v is JsonArray a && a.Count == size);
    }

    /// <summary><c>$elemMatch</c>: some element of an array field passes <paramref name="element"/> as a whole.</summary>
    private sealed class ElementMatchTest(Func<JsonNode?, bool> element) : FieldTest
    {
        public override bool Passes(List<JsonNode?> values) =>
            values.Exists(v => v is JsonArray array && array.Any(element));
    }

    /// <summary>Turns the trigger JSON into conditions, counting nodes and depth, naming the place of any error.</summary>
    private sealed class Parser
    {
        private static readonly HashSet<string> Refused = ["$where", "$type"];

        private int _nodes;

        public Condition Query(JsonObject query, string at, int depth)
        {
            Count(at, depth);
            var parts = new List<Condition>();
            foreach (var (key, value) in query)
            {
                var here = Join(at, key);
                parts.Add(key switch
                {
                    "$and" => new AllOf(Branches(value, here, depth)),
                    "$or" => new AnyOf(Branches(value, here, depth)),
                    "$nor" => new Negation(new AnyOf(Branches(value, here, depth))),
                    "$not" => new Negation(Query(value as JsonObject ?? throw Fail(here, "must be a query object"), here, depth + 1)),
                    _ when key.StartsWith('$') => throw Unsupported(here, key),
                    _ => new FieldCondition(Path(key, here), Test(value, here, depth + 1)),
                });
            }

            return parts.Count == 1 ? parts[0] : new AllOf(parts);
        }

        private List<Condition> Branches(JsonNode? value, string at, int depth)
        {
            if (value is not JsonArray { Count: > 0 } array)
            {
                throw Fail(at, "must be a non-empty array of query objects");
            }

            var branches = new List<Condition>(array.Count);
            for (var i = 0; i < array.Count; i++)
            {
                var here = $"{at}[{i}]";
                branches.Add(Query(array[i] as JsonObject ?? throw Fail(here, "must be a query object"), here, depth + 1));
            }

            return branches;
        }

        /// <summary>A field's value: an object of operators, or a value it must equal.</summary>
        private FieldTest Test(JsonNode? value, string at, int depth)
        {
            Count(at, depth);
            if (value is not JsonObject obj || !obj.Any(p => p.Key.StartsWith('$')))
            {
                return new EqualsTest(Literal(value));
            }

            if (obj.FirstOrDefault(p => !p.Key.StartsWith('$')) is { Key: { } field })
            {
                throw Fail(at, $"mixes operators with the field '{field}'; use one or the other");
            }

            if (obj.ContainsKey("$options") && !obj.ContainsKey("$regex"))
            {
                throw Fail(Join(at, "$options"), "is only allowed beside $regex");
            }

            var tests = new List<FieldTest>();
            foreach (var (op, operand) in obj)
            {
                if (op == "$options")
                {
                    continue;
                }

                var here = Join(at, op);
                tests.Add(op switch
                {
                    "$eq" => new EqualsTest(Literal(operand)),
                    "$ne" => new NotTest(new EqualsTest(Literal(operand))),
                    "$gt" => new OrderTest(Bound(operand, here), order => order > 0),
                    "$gte" => new OrderTest(Bound(operand, here), order => order >= 0),
                    "$lt" => new OrderTest(Bound(operand, here), order => order < 0),
                    "$lte" => new OrderTest(Bound(operand, here), order => order <= 0),
                    "$in" => new InTest(List(operand, here)),
                    "$nin" => new NotTest(new InTest(List(operand, here))),
                    "$all" => new AllValuesTest(List(operand, here)),
                    "$exists" => new ExistsTest(Flag(operand, here)),
                    "$size" => new SizeTest(Size(operand, here)),
                    "$regex" => new RegexTest(Pattern(operand, obj["$options"], here)),
                    "$not" => new NotTest(Test(operand is JsonObject o && o.Any(p => p.Key.StartsWith('$')) ? o : throw Fail(here, "must be an object of operators"), here, depth + 1)),
                    "$elemMatch" => ElementMatch(operand, here, depth + 1),
                    _ => throw Unsupported(here, op),
                });
            }

            return tests.Count == 1 ? tests[0] : new AllTests(tests);
        }

        /// <summary>Operators (<c>{"$gte": 80}</c>) test each element as a value; fields (<c>{"tag.id": 5}</c>) query each element as a document.</summary>
        private ElementMatchTest ElementMatch(JsonNode? operand, string at, int depth)
        {
            if (operand is not JsonObject { Count: > 0 } obj)
            {
                throw Fail(at, "must be a non-empty object");
            }

            if (obj.All(p => p.Key.StartsWith('$') && p.Key is not ("$and" or "$or" or "$nor")))
            {
                var test = Test(obj, at, depth);
                return new ElementMatchTest(element => test.Passes([element]));
            }

            var query = Query(obj, at, depth);
            return new ElementMatchTest(query.Matches);
        }

        private static Regex Pattern(JsonNode? operand, JsonNode? optionsNode, string at)
        {
            if (!IsString(operand, out var pattern))
            {
                throw Fail(at, "must be a string pattern");
            }

            if (pattern.Length > MaxPatternLength)
            {
                throw Fail(at, $"is longer than {MaxPatternLength} characters");
            }

            var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
            if (optionsNode is not null)
            {
                if (!IsString(optionsNode, out var flags))
                {
                    throw Fail(Join(at, "$options"), "must be a string of the flags i, m, s, x");
                }

                foreach (var flag in flags)
                {
                    options |= flag switch
                    {
                        'i' => RegexOptions.IgnoreCase,
                        'm' => RegexOptions.Multiline,
                        's' => RegexOptions.Singleline,
                        'x' => RegexOptions.IgnorePatternWhitespace,
                        _ => throw Fail(Join(at, "$options"), $"'{flag}' is not a supported flag (i, m, s, x)"),
                    };
                }
            }

            try
            {
                return new Regex(pattern, options, RegexTimeout);
            }
            catch (NotSupportedException)
            {
                throw Fail(at, "uses a construct the bounded regex engine cannot run (backreferences, lookarounds, atomic or conditional groups) or is too large");
            }
            catch (ArgumentException e)
            {
                throw Fail(at, $"is not a valid regular expression ({e.Message.Split(" - ", 2)[^1].TrimEnd('.')})");
            }
        }

        /// <summary>A literal to compare with, copied out of the request's tree.</summary>
        private JsonNode? Literal(JsonNode? value)
        {
            if (value is JsonArray array)
            {
                _nodes += array.Count;
            }

            return value?.DeepClone();
        }

        private static JsonNode Bound(JsonNode? operand, string at) =>
            operand is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False
                ? v.DeepClone()
                : throw Fail(at, "must be a number, a string or a boolean");

        private List<JsonNode?> List(JsonNode? operand, string at)
        {
            if (operand is not JsonArray array)
            {
                throw Fail(at, "must be an array");
            }

            _nodes += array.Count;
            if (_nodes > MaxNodes)
            {
                throw Fail(at, $"makes the trigger too complex (at most {MaxNodes} conditions and values)");
            }

            return [.. array.Select(item => item?.DeepClone())];
        }

        private static bool Flag(JsonNode? operand, string at) => operand switch
        {
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n is 0 or 1 => n == 1,
            JsonValue v when IsString(v, out var s) && s is "0" or "1" or "true" or "false" => s is "1" or "true",
            _ => throw Fail(at, "must be true or false"),
        };

        private static int Size(JsonNode? operand, string at) => operand switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) && n >= 0 => n,
            JsonValue v when IsString(v, out var s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw Fail(at, "must be a non-negative integer"),
        };

        private static string[] Path(string key, string at)
        {
            var segments = key.Split('.');
            if (key.Length > MaxPathLength || segments.Any(s => s.Length == 0))
            {
                throw Fail(at, $"is not a field path (names joined by dots, at most {MaxPathLength} characters)");
            }

            return segments;
        }

        private void Count(string at, int depth)
        {
            if (depth > MaxDepth)
            {
                throw Fail(at, $"nests operators more than {MaxDepth} levels deep");
            }

            if (++_nodes > MaxNodes)
            {
                throw Fail(at, $"makes the trigger too complex (at most {MaxNodes} conditions and values)");
            }
        }

        private static RuleInputException Unsupported(string at, string op) =>
            Refused.Contains(op)
                ? Fail(at, $"{op} is not supported (Tessera evaluates triggers without scripts or type tests)")
                : Fail(at, $"{op} is not a supported operator");

        private static bool IsString(JsonNode? node, out string text)
        {
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                text = v.GetValue<string>();
                return true;
            }

            text = string.Empty;
            return false;
        }

        private static string Join(string at, string key) => at.Length == 0 ? key : $"{at}.{key}";

        private static RuleInputException Fail(string at, string message) =>
            new(at.Length == 0 ? message : $"{Shorten(at)}: {message}");

        private static string Shorten(string at) => at.Length <= 120 ? at : "…" + at[^119..];
    }
}
