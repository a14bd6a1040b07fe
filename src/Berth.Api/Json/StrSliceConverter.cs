using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api.Json;

/// <summary>
/// Docker's strslice.StrSlice: Cmd, Entrypoint, Shell, CapAdd and CapDrop accept either a JSON array of strings or
/// a single string (older clients send "Entrypoint": "/bin/sh"). Always written as an array (or null).
/// </summary>
public sealed class StrSliceConverter : JsonConverter<List<string>>
{
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [reader.GetString()!];
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(reader.TokenType == JsonTokenType.Null ? "" : reader.GetString()!);
                }
                return items;
            default:
                throw new JsonException($"expected a string or an array of strings, got {reader.TokenType}");
        }
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }
        writer.WriteEndArray();
    }
}
