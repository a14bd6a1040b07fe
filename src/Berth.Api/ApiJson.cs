using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Api;

/// <summary>
/// Serialization entry points for Engine API bodies. The shared context escapes only what JSON requires (Go escapes
/// a little more, &lt; &gt; &amp;, which any JSON reader undoes), so "20.10+dfsg" stays readable on the wire.
/// </summary>
public static class ApiJson
{
    public static ApiJsonContext Context { get; } = new(new JsonSerializerOptions(ApiJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static JsonSerializerOptions Options => Context.Options;

    public static string Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.Serialize(value, typeInfo);

    public static byte[] SerializeToUtf8Bytes<T>(T value, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    public static T? Deserialize<T>(string json, JsonTypeInfo<T> typeInfo) => JsonSerializer.Deserialize(json, typeInfo);

    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8Json, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(utf8Json, typeInfo);

    public static ValueTask<T?> DeserializeAsync<T>(Stream stream, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken);

    public static Task SerializeAsync<T>(Stream stream, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, value, typeInfo, cancellationToken);
}
