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
