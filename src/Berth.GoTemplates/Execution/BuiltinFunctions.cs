using System.Text;
using System.Text.Json.Nodes;
using Berth.GoTemplates.Formatting;
using static Berth.GoTemplates.Execution.ParameterKind;

namespace Berth.GoTemplates.Execution;

/// <summary>text/template's predefined functions (and, or, not, len, index, slice, print*, eq..., html, js, urlquery, call).</summary>
internal static class BuiltinFunctions
{
    private static readonly ParameterKind[] One = [Value];
    private static readonly ParameterKind[] Two = [Value, Value];

    /// <summary>
    /// The builtins. <paramref name="strictMaps"/> selects Go's map[string]interface{} semantics for
    /// index; otherwise a missing key yields the zero value docker's typed structs would give
    /// ("" for string maps such as labels) and a null map indexes like an empty one.
    /// </summary>
    public static IEnumerable<FunctionDefinition> Create(bool strictMaps)
    {
        yield return new FunctionDefinition("and", One, Value, static _ => throw new InvalidOperationException("and is evaluated lazily"), isBuiltin: true);
        yield return new FunctionDefinition("or", One, Value, static _ => throw new InvalidOperationException("or is evaluated lazily"), isBuiltin: true);
        yield return new FunctionDefinition("not", One, null, static a => !Values.IsTrue(a[0]), isBuiltin: true);
        yield return new FunctionDefinition("len", One, null, static a => Length(a[0]), isBuiltin: true);
        yield return new FunctionDefinition("index", One, Value, a => Index(a[0], a.AsSpan(1), strictMaps), isBuiltin: true);
        yield return new FunctionDefinition("slice", One, Value, static a => Slice(a[0], a.AsSpan(1)), isBuiltin: true);
        yield return new FunctionDefinition("print", [], Any, static a => GoFormatter.Sprint(a), isBuiltin: true);
        yield return new FunctionDefinition("printf", [ParameterKind.String], Any, static a => GoFormatter.Sprintf((string)a[0]!, a[1..]), isBuiltin: true);
        yield return new FunctionDefinition("println", [], Any, static a => GoFormatter.Sprintln(a), isBuiltin: true);
        yield return new FunctionDefinition("html", [], Any, static a => GoEscapers.Html(EvalArgs(a)), isBuiltin: true);
        yield return new FunctionDefinition("js", [], Any, static a => GoEscapers.JavaScript(EvalArgs(a)), isBuiltin: true);
        yield return new FunctionDefinition("urlquery", [], Any, static a => GoEscapers.UrlQuery(EvalArgs(a)), isBuiltin: true);
        yield return new FunctionDefinition("call", One, Value, static a => Call(a[0]), isBuiltin: true);
        yield return new FunctionDefinition("eq", One, Value, static a => Comparisons.Equal(a[0], a[1..]), isBuiltin: true);
        yield return new FunctionDefinition("ne", Two, null, static a => !Comparisons.Equal(a[0], [a[1]]), isBuiltin: true);
        yield return new FunctionDefinition("lt", Two, null, static a => Comparisons.Less(a[0], a[1]), isBuiltin: true);
        yield return new FunctionDefinition("le", Two, null, static a => Comparisons.LessOrEqual(a[0], a[1]), isBuiltin: true);
        yield return new FunctionDefinition("gt", Two, null, static a => !Comparisons.LessOrEqual(a[0], a[1]), isBuiltin: true);
        yield return new FunctionDefinition("ge", Two, null, static a => !Comparisons.Less(a[0], a[1]), isBuiltin: true);
    }

    private static object Length(object? item) => item switch
    {
        // Go reflects on the invalid value and reports reflect's own panic.
        NoValue => throw new FunctionFailure("reflect: call of reflect.Value.Type on zero Value"),
        null => throw new FunctionFailure("len of nil pointer"),
        string s => (long)Encoding.UTF8.GetByteCount(s),
        JsonObject map => (long)map.Count,
        _ when Values.IsList(item) => (long)Values.Count(item!),
        _ => throw new FunctionFailure($"len of type {Values.TypeName(item)}"),
    };

    private static object? Index(object? item, ReadOnlySpan<object?> indexes, bool strictMaps)
    {
        if (item is NoValue || item is null && (strictMaps || indexes.Length == 0))
            throw new FunctionFailure("index of untyped nil");
        for (var i = 0; i < indexes.Length; i++)
        {
            var index = indexes[i];
            if (Values.IsNil(item))
            {
                if (strictMaps || item is NoValue || i > 0)
                    throw new FunctionFailure("index of nil pointer");
                // A JSON null handed to index stands for a nil map or slice of docker's typed data:
                // a nil map yields the zero value, a nil slice has no elements.
                item = index switch
                {
                    string => "",
                    long or ulong => throw new FunctionFailure($"index out of range: {index}"),
                    _ => throw new FunctionFailure("index of untyped nil"),
                };
                continue;
            }
            switch (item)
            {
                case string s:
                {
                    var bytes = Encoding.UTF8.GetBytes(s);
                    var x = IndexArgument(index, bytes.Length);
                    if (x == bytes.Length)
                        throw new FunctionFailure("reflect: string index out of range");
                    item = (long)bytes[x];
                    break;
                }
                case JsonObject map:
                {
                    if (index is not string key)
                    {
                        throw new FunctionFailure(Values.IsNil(index)
                            ? "value is nil; should be of type string"
                            : $"value has type {Values.TypeName(index)}; should be string");
                    }
                    item = map.TryGetPropertyValue(key, out var child) ? Values.FromNode(child) : ZeroValue(map, strictMaps);
                    break;
                }
                default:
                {
                    if (!Values.IsList(item))
                        throw new FunctionFailure($"can't index item of type {Values.TypeName(item)}");
                    var count = Values.Count(item!);
                    var x = IndexArgument(index, count);
                    if (x == count)
                        throw new FunctionFailure("reflect: slice index out of range");
                    item = Values.ElementAt(item!, x);
                    break;
                }
            }
        }
        return item;
    }

    private static object? ZeroValue(JsonObject map, bool strictMaps)
    {
        if (strictMaps)
            return NoValue.Instance;
        foreach (var entry in map)
            return entry.Value is JsonValue value && Values.FromNode(value) is string ? "" : null;
        return "";
    }

    private static int IndexArgument(object? index, int cap)
    {
        long x = index switch
        {
            long l => l,
            ulong ul => unchecked((long)ul),
            null or NoValue => throw new FunctionFailure("cannot index slice/array with nil"),
            _ => throw new FunctionFailure($"cannot index slice/array with type {Values.TypeName(index)}"),
        };
        if (x < 0 || x > cap)
            throw new FunctionFailure($"index out of range: {x}");
        return (int)x;
    }

    private static object Slice(object? item, ReadOnlySpan<object?> indexes)
    {
        if (Values.IsNil(item))
            throw new FunctionFailure("slice of untyped nil");
        if (indexes.Length > 3)
            throw new FunctionFailure($"too many slice indexes: {indexes.Length}");
        byte[]? bytes = null;
        int length;
        if (item is string s)
        {
            if (indexes.Length == 3)
                throw new FunctionFailure("cannot 3-index slice a string");
            bytes = Encoding.UTF8.GetBytes(s);
            length = bytes.Length;
        }
        else if (Values.IsList(item))
        {
            length = Values.Count(item!);
        }
        else
        {
            throw new FunctionFailure($"can't slice item of type {Values.TypeName(item)}");
        }
        int[] idx = [0, length, 0];
        for (var i = 0; i < indexes.Length; i++)
            idx[i] = IndexArgument(indexes[i], length);
        if (idx[0] > idx[1])
            throw new FunctionFailure($"invalid slice index: {idx[0]} > {idx[1]}");
        if (indexes.Length == 3 && idx[1] > idx[2])
            throw new FunctionFailure($"invalid slice index: {idx[1]} > {idx[2]}");
        if (bytes is not null)
            return Encoding.UTF8.GetString(bytes, idx[0], idx[1] - idx[0]);
        return Values.Slice(item!, idx[0], idx[1]);
    }

    private static object Call(object? function) =>
        throw new FunctionFailure(Values.IsNil(function) ? "call of nil" : $"non-function of type {Values.TypeName(function)}");

    /// <summary>
    /// The argument handling of html, js and urlquery: one string as is, else fmt.Sprint of all,
    /// with nil shown as "&lt;no value&gt;" (Go passes each argument through printableValue first).
    /// </summary>
    private static string EvalArgs(object?[] args) =>
        args.Length == 1 && args[0] is string s
            ? s
            : GoFormatter.Sprint(args.Select(static a => Values.IsNil(a) ? "<no value>" : a).ToArray());
}
