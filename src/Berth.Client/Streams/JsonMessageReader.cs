using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Client.Streams;

/// <summary>
/// Reads a stream of JSON values (events, pull/load/import progress), one after another as the daemon
/// writes them; values need not be newline-separated.
/// </summary>
public static class JsonMessageReader
{
    /// <summary>
    /// The error a message reports, as the docker CLI reads it: errorDetail's message and code, else the bare
    /// "error" text (code 0); null for a message that is no error.
    /// </summary>
    public static (string Message, long Code)? ErrorOf(JsonNode message)
    {
        if (message.Obj("errorDetail") is { } detail && detail.Str("message") is { Length: > 0 } detailed)
            return (detailed, detail.Long("code"));
        return message.Str("error") is { Length: > 0 } error ? (error, 0) : null;
    }

    public static async IAsyncEnumerable<JsonNode> ReadAllAsync(Stream source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        while (true)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            filled += read;
            var isFinal = read == 0;
            while (TryReadValue(buffer, ref filled, isFinal, out var node))
            {
                if (node is not null)
                    yield return node;
            }
            if (isFinal)
                yield break;
            if (filled == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2);
        }
    }

    private static bool TryReadValue(byte[] buffer, ref int filled, bool isFinal, out JsonNode? node)
    {
        node = null;
        var span = buffer.AsSpan(0, filled);
        var start = 0;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            start++;
        if (start == span.Length)
        {
            filled = 0;
            return false;
        }
        var reader = new Utf8JsonReader(span[start..], isFinal, new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = true }));
        try
        {
            if (!reader.Read() || !reader.TrySkip())
                return Incomplete(isFinal);
        }
        catch (JsonException) when (!isFinal)
        {
            return false;
        }
        var end = start + (int)reader.BytesConsumed;
        node = JsonNode.Parse(span[start..end]);
        span[end..].CopyTo(buffer);
        filled -= end;
        return true;
    }

    private static bool Incomplete(bool isFinal)
        => isFinal ? throw new JsonException("the daemon's JSON stream ended in the middle of a message") : false;
}
