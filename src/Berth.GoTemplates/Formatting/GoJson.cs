using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Berth.GoTemplates.Execution;
using Berth.GoText;

namespace Berth.GoTemplates.Formatting;

/// <summary>
/// Go's encoding/json output as docker's template "json" function produces it: compact, object keys
/// in the order the data has them, HTML characters left alone (docker turns SetEscapeHTML off),
/// U+2028/U+2029 escaped, floats in Go's shortest form.
/// </summary>
internal static class GoJson
{
    private const string Hex = "0123456789abcdef";

    public static string Encode(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    public static void Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null or NoValue:
                sb.Append("null");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case ulong ul:
                sb.Append(ul.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                WriteFloat(sb, d);
                break;
            case JsonObject map:
                sb.Append('{');
                var first = true;
                foreach (var entry in map)
                {
                    if (!first)
                        sb.Append(',');
                    first = false;
                    WriteString(sb, entry.Key);
                    sb.Append(':');
                    Write(sb, Values.FromNode(entry.Value));
                }
                sb.Append('}');
                break;
            default:
                if (!Values.IsList(value))
                {
                    WriteString(sb, value.ToString() ?? "");
                    break;
                }
                sb.Append('[');
                var count = Values.Count(value);
                for (var i = 0; i < count; i++)
                {
                    if (i > 0)
                        sb.Append(',');
                    Write(sb, Values.ElementAt(value, i));
                }
                sb.Append(']');
                break;
        }
    }

    private static void WriteFloat(StringBuilder sb, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            // Go's encoder refuses these; docker's json function then prints nothing.
            return;
        }
        var abs = Math.Abs(value);
        var format = abs != 0 && (abs < 1e-6 || abs >= 1e21) ? 'e' : 'f';
        var text = GoFloat.Format(value, format, -1);
        if (format == 'e')
        {
            // Go writes e-07 as e-7.
            var n = text.Length;
            if (n >= 4 && text[n - 4] == 'e' && text[n - 3] == '-' && text[n - 2] == '0')
                text = string.Concat(text.AsSpan(0, n - 2), text.AsSpan(n - 1));
        }
        sb.Append(text);
    }

    public static void WriteString(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            var c = rune.Value;
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    continue;
                case '\\':
                    sb.Append("\\\\");
                    continue;
                case '\n':
                    sb.Append("\\n");
                    continue;
                case '\r':
                    sb.Append("\\r");
                    continue;
                case '\t':
                    sb.Append("\\t");
                    continue;
                case '\b':
                    sb.Append("\\b");
                    continue;
                case '\f':
                    sb.Append("\\f");
                    continue;
                case 0x2028 or 0x2029:
                    sb.Append("\\u202").Append(Hex[c & 0xF]);
                    continue;
            }
            if (c < 0x20)
            {
                sb.Append("\\u00").Append(Hex[c >> 4]).Append(Hex[c & 0xF]);
                continue;
            }
            GoQuote.AppendRune(sb, c);
        }
        sb.Append('"');
    }
}
