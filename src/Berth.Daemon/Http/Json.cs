using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Oci.Errors;

namespace Berth.Daemon.Http;

/// <summary>Request bodies in and responses out, through the source-generated Engine API context.</summary>
public static class Json
{
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    public static async Task WriteAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
    }

    /// <summary>
    /// One value of a JSON stream (events, stats, progress) and its line end, in a single write so that it reaches the
    /// client as one chunk: docker-py's stream parser fails on a chunk that starts with the previous value's line end
    /// (its images.build and images.load raised StreamParseError).
    /// </summary>
    public static async Task WriteLineAsync<T>(Stream body, T value, JsonTypeInfo<T> typeInfo, ReadOnlyMemory<byte> lineEnd, CancellationToken cancellationToken)
    {
        var line = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(line, new JsonWriterOptions { Encoder = typeInfo.Options.Encoder }))
            JsonSerializer.Serialize(writer, value, typeInfo);
        line.Write(lineEnd.Span);
        await body.WriteAsync(line.WrittenMemory, cancellationToken);
    }

    /// <summary>The line end of events and stats (Go's json.Encoder).</summary>
    public static readonly ReadOnlyMemory<byte> Lf = "\n"u8.ToArray();

    /// <summary>The line end of progress messages (Docker's stream formatter).</summary>
    public static readonly ReadOnlyMemory<byte> CrLf = "\r\n"u8.ToArray();

    /// <summary>
    /// Reads a JSON body; an empty body gives null (Docker treats it as "no options"). A body must be declared
    /// <c>application/json</c>, as Docker's CheckForJSON wants, unless <paramref name="anyContentType"/> (Docker's
    /// POST /auth decodes whatever it gets).
    /// </summary>
    public static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, bool anyContentType = false)
    {
        if (!anyContentType) RequireJsonContentType(context.Request);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            // Config bodies are small; a huge one is a mistake or an attack, refused before it fills memory.
            if (buffer.Length + read > MaxBodyBytes) throw BerthException.Invalid($"request body is larger than {MaxBodyBytes / (1024 * 1024)} MiB");
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return default;
        try
        {
            return JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), typeInfo);
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid(e.Message);
        }
    }

    private static void RequireJsonContentType(HttpRequest request)
    {
        string contentType = request.ContentType ?? "";
        bool hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (contentType.Length == 0 && !hasBody) return;
        string mediaType = contentType.Split(';', 2)[0].Trim();
        if (!mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            throw BerthException.Invalid($"Content-Type specified ({contentType}) must be 'application/json'");
    }
}
