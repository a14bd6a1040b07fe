using System.Globalization;
using System.Text;

namespace Berth.Shim;

/// <summary>
/// Reads one flat JSON object (string, number, boolean and null members; nested values are skipped). The shim's
/// configuration needs no more, and System.Text.Json would bring its reflection-backed error paths into every shim's
/// memory (about 250 KiB of code and type data).
/// </summary>
internal ref struct FlatJsonReader(ReadOnlySpan<byte> json)
{
    private readonly ReadOnlySpan<byte> _json = json;
    private int _pos;

    /// <summary>Calls <paramref name="member"/> for each member with its name and value (a string, long, bool or null).</summary>
    public void ReadObject(Action<string, object?> member)
    {
        Expect((byte)'{');
        if (Peek() == '}')
        {
            _pos++;
            ExpectEnd();
            return;
        }
        while (true)
        {
            string name = ReadString();
            Expect((byte)':');
            member(name, ReadValue());
            byte next = Next();
            if (next == '}') break;
            if (next != ',') throw Error("expected ',' or '}'");
        }
        ExpectEnd();
    }

    private object? ReadValue()
    {
        byte c = Peek();
        switch (c)
        {
            case (byte)'"': return ReadString();
            case (byte)'t': Literal("true"u8); return true;
            case (byte)'f': Literal("false"u8); return false;
            case (byte)'n': Literal("null"u8); return null;
            case (byte)'{' or (byte)'[': SkipNested(); return null;
        }
        int start = _pos;
        while (_pos < _json.Length && (char.IsAsciiDigit((char)_json[_pos]) || _json[_pos] is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E')) _pos++;
        if (long.TryParse(_json[start.._pos], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)) return number;
        throw Error("expected a value");
    }

    private string ReadString()
    {
        Expect((byte)'"');
        int plain = _json[_pos..].IndexOfAny((byte)'"', (byte)'\\');
        if (plain >= 0 && _json[_pos + plain] == '"')
        {
            string simple = Encoding.UTF8.GetString(_json.Slice(_pos, plain));
            _pos += plain + 1;
            return simple;
        }
        var text = new StringBuilder();
        while (true)
        {
            if (_pos >= _json.Length) throw Error("unterminated string");
            int end = _json[_pos..].IndexOfAny((byte)'"', (byte)'\\');
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
                    text.Append((char)unit); // surrogate pairs arrive as two escapes and recombine in the string
                    _pos += 4;
                    break;
                default: throw Error("bad escape");
            }
        }
    }

    private void SkipNested()
    {
        int depth = 0;
        do
        {
            byte c = Next();
            if (c == '"') { _pos--; ReadString(); }
            else if (c is (byte)'{' or (byte)'[') depth++;
            else if (c is (byte)'}' or (byte)']') depth--;
        }
        while (depth > 0);
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

    private void ExpectEnd()
    {
        SkipWhitespace();
        if (_pos != _json.Length) throw Error("trailing data");
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
