using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Engine.Swarm.Cluster;

/// <summary>
/// Lines of JSON on a cluster connection. Reads go one byte at a time so that nothing past the line is consumed: after
/// a tunnel's hello the same stream carries raw bytes.
/// </summary>
internal static class ClusterWire
{
    public const int MaxLine = 64 * 1024;

    public static async Task WriteAsync<T>(Stream stream, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        byte[] line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        await stream.WriteAsync(line, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>The next line as a T; null when the peer closed the connection before sending one.</summary>
    public static async Task<T?> ReadAsync<T>(Stream stream, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) where T : class
    {
        var line = new MemoryStream();
        byte[] one = new byte[1];
        while (true)
        {
            int read = await stream.ReadAsync(one, cancellationToken);
            if (read == 0)
            {
                if (line.Length == 0) return null;
                throw new IOException("the connection closed in the middle of a line");
            }
            if (one[0] == (byte)'\n') break;
            if (line.Length >= MaxLine) throw new InvalidDataException($"a cluster message is longer than {MaxLine} bytes");
            line.WriteByte(one[0]);
        }
        return JsonSerializer.Deserialize(line.GetBuffer().AsSpan(0, (int)line.Length), typeInfo)
            ?? throw new InvalidDataException("an empty cluster message");
    }

    /// <summary>Reads with a deadline: a peer that stops talking mid-handshake must not hold the connection.</summary>
    public static async Task<T?> ReadAsync<T>(Stream stream, JsonTypeInfo<T> typeInfo, TimeSpan timeout, CancellationToken cancellationToken) where T : class
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        return await ReadAsync(stream, typeInfo, limit.Token);
    }
}
