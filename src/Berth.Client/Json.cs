using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Client;

/// <summary>JSON helpers over <see cref="JsonNode"/> that stay free of reflection (AOT).</summary>
public static class Json
{
    private static readonly JsonWriterOptions CompactWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] SerializeToUtf8(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            if (node is null)
                writer.WriteNullValue();
            else
                node.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static string Serialize(JsonNode? node) => System.Text.Encoding.UTF8.GetString(SerializeToUtf8(node));

    public static JsonNode? Parse(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? null : JsonNode.Parse(utf8);

    /// <summary>A string member, or "" when missing or not a string.</summary>
    public static string Str(this JsonNode? node, string name)
        => node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v
           && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>An integer member, or 0 when missing.</summary>
    public static long Long(this JsonNode? node, string name)
    {
        if (node is not JsonObject obj || !obj.TryGetPropertyValue(name, out var value) || value is not JsonValue v)
            return 0;
        if (v.TryGetValue<long>(out var l))
            return l;
        if (v.TryGetValue<double>(out var d))
            return (long)d;
        return 0;
    }

    public static bool Bool(this JsonNode? node, string name)
        => node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v
           && v.TryGetValue<bool>(out var b) && b;

    public static JsonObject? Obj(this JsonNode? node, string name)
        => node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) ? value as JsonObject : null;

    public static JsonArray? Arr(this JsonNode? node, string name)
        => node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) ? value as JsonArray : null;

    /// <summary>The strings of an array member; non-strings skipped.</summary>
    public static List<string> Strings(this JsonNode? node, string name)
    {
        var list = new List<string>();
        if (node.Arr(name) is { } array)
        {
            foreach (var item in array)
            {
                if (item is JsonValue v && v.TryGetValue<string>(out var s))
                    list.Add(s);
            }
        }
        return list;
    }
}
