using System.Globalization;
using System.Text;

namespace Berth.Shim.Runtime;

/// <summary>
/// Parses a JSON document into plain objects: <see cref="Dictionary{TKey,TValue}"/> for objects, <see cref="List{T}"/>
/// for arrays, string, <see cref="JsonNumber"/>, bool and null: the shim's configuration, and for the native exec path
/// the OCI process and the container's seccomp profile. System.Text.Json would bring its reflection-backed code into
/// every shim's memory (about 250 KiB of code and type data).
/// </summary>
internal ref struct JsonTree(ReadOnlySpan<byte> json)
{
    private const int MaxDepth = 64;
    private readonly ReadOnlySpan<byte> _json = json;
    private int _pos;

    public static object? Parse(ReadOnlySpan<byte> json)
    {
        var reader = new JsonTree(json);
        object? value = reader.ReadValue(0);
        reader.SkipWhitespace();
        if (reader._pos != json.Length) throw reader.Error("trailing data");
        return value;
    }

    private object? ReadValue(int depth)
    {
        if (depth > MaxDepth) throw Error("nested too deeply");
        byte c = Peek();
        switch (c)
        {
            case (byte)'{': return ReadObject(depth);
            case (byte)'[': return ReadArray(depth);
            case (byte)'"': return ReadString();
            case (byte)'t': Literal("true"u8); return true;
            case (byte)'f': Literal("false"u8); return false;
            case (byte)'n': Literal("null"u8); return null;
        }
        int start = _pos;
        while (_pos < _json.Length && (char.IsAsciiDigit((char)_json[_pos]) || _json[_pos] is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E')) _pos++;
        if (start == _pos) throw Error("expected a value");
        return new JsonNumber(Encoding.ASCII.GetString(_json[start.._pos]));
    }

    private Dictionary<string, object?> ReadObject(int depth)
    {
        _pos++;
        var members = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Peek() == '}')
        {
            _pos++;
            return members;
        }
        while (true)
        {
            if (Peek() != '"') throw Error("expected a member name");
            string name = ReadString();
            Expect((byte)':');
            members[name] = ReadValue(depth + 1);
            byte next = Next();
            if (next == '}') return members;
            if (next != ',') throw Error("expected ',' or '}'");
        }
    }

    private List<object?> ReadArray(int depth)
    {
        _pos++;
        var items = new List<object?>();
        if (Peek() == ']')
        {
            _pos++;
            return items;
        }
        while (true)
        {
            items.Add(ReadValue(depth + 1));
            byte next = Next();
            if (next == ']') return items;
            if (next != ',') throw Error("expected ',' or ']'");
        }
    }

    private string ReadString()
    {
        Expect((byte)'"');
        var text = new StringBuilder();
        while (true)
        {
            int end = _pos < _json.Length ? _json[_pos..].IndexOfAny((byte)'"', (byte)'\\') : -1;
            if (end < 0) throw Error("unterminated string");
            text.Append(Encoding.UTF8.GetString(_json.Slice(_pos, end)));
            _pos += end;
            if (_json[_pos++] == '"') return text.ToString();
            byte escape = _pos < _json.Length ? _json[_pos++] : (byte)0;
            switch (escape)
            {
                case (byte)'"': text.Append('"'); break;
                case (byte)'\\': text.Append('\\'); break;
                case (byte)'/': text.Append('/'); break;
                case (byte)'b': text.Append('\b'); break;
                case (byte)'f': text.Append('\f'); break;
                case (byte)'n': text.Append('\n'); break;
                case (byte)'r': text.Append('\r'); break;
                case (byte)'t': text.Append('\t'); break;
                case (byte)'u':
                    if (_pos + 4 > _json.Length || !ushort.TryParse(_json.Slice(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort unit))
                        throw Error("bad \\u escape");
                    text.Append((char)unit);
                    _pos += 4;
                    break;
                default: throw Error("bad escape");
            }
        }
    }

    private void Literal(ReadOnlySpan<byte> word)
    {
        if (!_json[_pos..].StartsWith(word)) throw Error("expected a value");
        _pos += word.Length;
    }

    private void Expect(byte c)
    {
        if (Next() != c) throw Error($"expected '{(char)c}'");
    }

    private byte Next()
    {
        byte c = Peek();
        _pos++;
        return c;
    }

    private byte Peek()
    {
        SkipWhitespace();
        return _pos < _json.Length ? _json[_pos] : throw Error("unexpected end");
    }

    private void SkipWhitespace()
    {
        while (_pos < _json.Length && _json[_pos] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') _pos++;
    }

    private readonly InvalidDataException Error(string what) => new($"invalid JSON at byte {_pos}: {what}");
}

/// <summary>A JSON number as written; converted on use, so 64-bit unsigned seccomp values keep every bit.</summary>
internal sealed record JsonNumber(string Text)
{
    public long ToInt64() => long.Parse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    public ulong ToUInt64() => ulong.Parse(Text, NumberStyles.None, CultureInfo.InvariantCulture);
}

/// <summary>Typed access to <see cref="JsonTree"/> values; a member of the wrong type is an <see cref="InvalidDataException"/>.</summary>
internal static class JsonAccess
{
    public static Dictionary<string, object?>? Object(this Dictionary<string, object?> parent, string name) =>
        parent.TryGetValue(name, out var v) && v is not null ? v as Dictionary<string, object?> ?? throw Wrong(name) : null;

    public static List<object?>? Array(this Dictionary<string, object?> parent, string name) =>
        parent.TryGetValue(name, out var v) && v is not null ? v as List<object?> ?? throw Wrong(name) : null;

    public static string? String(this Dictionary<string, object?> parent, string name) =>
        parent.TryGetValue(name, out var v) && v is not null ? v as string ?? throw Wrong(name) : null;

    public static bool Bool(this Dictionary<string, object?> parent, string name) =>
        parent.TryGetValue(name, out var v) && v is not null && (v as bool? ?? throw Wrong(name));

    public static long? Int64(this Dictionary<string, object?> parent, string name) =>
        parent.TryGetValue(name, out var v) && v is not null ? (v as JsonNumber ?? throw Wrong(name)).ToInt64() : null;

    public static ulong? UInt64(this Dictionary<string, object?> parent, string name) =>
        parent.TryGetValue(name, out var v) && v is not null ? (v as JsonNumber ?? throw Wrong(name)).ToUInt64() : null;

    public static List<string> Strings(this Dictionary<string, object?> parent, string name)
    {
        var strings = new List<string>();
        foreach (var item in parent.Array(name) ?? []) strings.Add(item as string ?? throw Wrong(name));
        return strings;
    }

    private static InvalidDataException Wrong(string name) => new($"\"{name}\" has the wrong type");
}
