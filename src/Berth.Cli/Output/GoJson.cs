using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli.Output;

/// <summary>
/// Compact JSON as Go's encoding/json writes it (what docker's <c>{{json .}}</c> prints): keys in the node's order,
/// and &lt; &gt; &amp; U+2028 U+2029 escaped as \u00XX, other text kept as is.
/// </summary>
public static class GoJson
{
    public static string Serialize(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder builder)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!first)
                        builder.Append(',');
                    first = false;
                    WriteString(key, builder);
                    builder.Append(':');
                    Write(value, builder);
                }
                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                        builder.Append(',');
                    Write(array[i], builder);
                }
                builder.Append(']');
                break;
            case JsonValue value:
                if (value.TryGetValue<string>(out var s))
                    WriteString(s, builder);
                else if (value.TryGetValue<bool>(out var b))
                    builder.Append(b ? "true" : "false");
                else if (value.GetValueKind() == JsonValueKind.Number)
                    builder.Append(value.ToJsonString());
                else
                    builder.Append(value.ToJsonString());
                break;
        }
    }

    public static void WriteString(string text, StringBuilder builder)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        builder.Append(c);
                    break;
            }
        }
        builder.Append('"');
    }
}
