using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.GoTemplates.Execution;

/// <summary>
/// The evaluator's values. A value is one of: <see cref="NoValue"/> (Go's invalid value), null (nil),
/// string, long (Go int), ulong (uint64, only for JSON integers above long), double (float64), bool,
/// <see cref="JsonObject"/> (a map), <see cref="JsonArray"/>, string[] ([]string) or object?[] ([]interface{}).
/// JSON leaves are converted on access; objects and arrays stay JSON nodes so nothing is copied.
/// </summary>
internal static class Values
{
    public static object? FromNode(JsonNode? node) => node switch
    {
        null => null,
        JsonObject or JsonArray => node,
        JsonValue value => FromJsonValue(value),
        _ => null,
    };

    private static object? FromJsonValue(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                if (value.TryGetValue<string>(out var text))
                    return text;
                if (value.TryGetValue<char>(out var c))
                    return c.ToString();
                using (var document = JsonDocument.Parse(value.ToJsonString()))
                    return document.RootElement.GetString();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                return NumberFromJsonValue(value);
            default:
                return null;
        }
    }

    private static object NumberFromJsonValue(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
            return NumberFromElement(element);
        if (value.TryGetValue<long>(out var l))
            return l;
        if (value.TryGetValue<int>(out var i))
            return (long)i;
        if (value.TryGetValue<double>(out var d))
            return Number(d);
        if (value.TryGetValue<ulong>(out var ul))
            return ul <= long.MaxValue ? (object)(long)ul : ul;
        if (value.TryGetValue<uint>(out var ui))
            return (long)ui;
        if (value.TryGetValue<short>(out var s))
            return (long)s;
        if (value.TryGetValue<ushort>(out var us))
            return (long)us;
        if (value.TryGetValue<byte>(out var b))
            return (long)b;
        if (value.TryGetValue<sbyte>(out var sb))
            return (long)sb;
        if (value.TryGetValue<float>(out var f))
            return Number(f);
        if (value.TryGetValue<decimal>(out var m))
            return m == decimal.Truncate(m) && m >= long.MinValue && m <= long.MaxValue ? (object)(long)m : (double)m;
        using var document = JsonDocument.Parse(value.ToJsonString());
        return NumberFromElement(document.RootElement);
    }

    private static object NumberFromElement(JsonElement element)
    {
        if (element.TryGetInt64(out var l))
            return l;
        if (element.TryGetUInt64(out var ul))
            return ul;
        return Number(double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>Integral numbers print as integers, as the typed Go structs behind docker's JSON would.</summary>
    public static object Number(double value) =>
        value == Math.Floor(value) && value >= -9.2233720368547758E18 && value < 9.2233720368547758E18
            ? (object)(long)value
            : value;

    /// <summary>The value as a JSON node for a caller's function; nodes already in the data are passed as they are.</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null or NoValue => null,
        JsonNode node => node,
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        ulong ul => JsonValue.Create(ul),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        string[] strings => new JsonArray(strings.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        object?[] items => new JsonArray(items.Select(item => Detached(ToNode(item))).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };

    private static JsonNode? Detached(JsonNode? node) => node is { Parent: not null } ? node.DeepClone() : node;

    /// <summary>The name Go would print for the value's type, as in its error messages and %T.</summary>
    public static string TypeName(object? value) => value switch
    {
        null or NoValue => "<nil>",
        string => "string",
        long => "int",
        ulong => "uint64",
        double => "float64",
        bool => "bool",
        JsonObject => "map[string]interface {}",
        string[] => "[]string",
        JsonArray or object?[] => "[]interface {}",
        _ => value.GetType().Name,
    };

    public static bool IsNil(object? value) => value is null or NoValue;

    public static bool IsList(object? value) => value is JsonArray or string[] or object?[];

    public static int Count(object list) => list switch
    {
        JsonArray a => a.Count,
        string[] s => s.Length,
        object?[] o => o.Length,
        _ => 0,
    };

    public static object? ElementAt(object list, int index) => list switch
    {
        JsonArray a => FromNode(a[index]),
        string[] s => s[index],
        object?[] o => o[index],
        _ => null,
    };

    public static object?[] Slice(object list, int start, int end) => list switch
    {
        string[] s => s[start..end],
        _ => Enumerable.Range(start, end - start).Select(i => ElementAt(list, i)).ToArray(),
    };

    /// <summary>Go's truth: false, 0, nil, and empty strings, lists and maps are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null or NoValue => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        ulong ul => ul != 0,
        double d => d != 0,
        JsonObject o => o.Count > 0,
        JsonArray a => a.Count > 0,
        string[] s => s.Length > 0,
        object?[] o => o.Length > 0,
        _ => true,
    };

    /// <summary>Map keys in the order Go's fmt and range visit them: by bytes, i.e. by code point.</summary>
    public static List<KeyValuePair<string, JsonNode?>> SortedEntries(JsonObject map)
    {
        var entries = new List<KeyValuePair<string, JsonNode?>>(map.Count);
        foreach (var entry in map)
            entries.Add(entry);
        entries.Sort(static (a, b) => CompareCodePoints(a.Key, b.Key));
        return entries;
    }

    public static int CompareCodePoints(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x == y)
                continue;
            var xs = char.IsSurrogate(x);
            var ys = char.IsSurrogate(y);
            if (xs != ys)
                return xs ? 1 : -1;
            return x.CompareTo(y);
        }
        return a.Length.CompareTo(b.Length);
    }
}
