using System.Globalization;
using System.IO.Compression;
using Berth.Shim.Io;

namespace Berth.Shim.Log.Forward;

/// <summary>
/// GELF 1.1 messages as Docker's gelf driver sends them: <c>{"version":"1.1","host":H,"short_message":LINE,
/// "timestamp":SECONDS.MILLIS,"level":6|3,"_command":...,"_container_id":...}</c>, the extra members (sorted, as Go
/// marshals a map) from the daemon; Go's JSON escaping. Over UDP compressed (gzip by default, zlib, or none); over
/// TCP uncompressed and terminated by a NUL byte. Empty lines are not sent.
/// </summary>
internal sealed class GelfEncoder(ForwardConfig config) : IMessageEncoder
{
    private readonly MemoryStream _compressed = new();
    private readonly ByteBuilder _json = new();

    public bool Encode(OutputStream stream, ReadOnlySpan<byte> line, bool partial, long unixNanos, ByteBuilder output)
    {
        if (line.IsEmpty) return false;
        bool compress = config.Network == "udp" && config.Compression is "gzip" or "zlib";
        var json = compress ? _json : output;
        json.Clear();
        json.Append("{\"version\":\"1.1\",\"host\":"u8);
        GoJsonString.Append(json, config.Hostname);
        json.Append(",\"short_message\":"u8);
        GoJsonString.Append(json, line);
        json.Append(",\"timestamp\":"u8);
        double seconds = unixNanos / 1_000_000 / 1000.0;
        json.Append(seconds.ToString("R", CultureInfo.InvariantCulture));
        json.Append(",\"level\":"u8);
        json.Append(stream == OutputStream.Stderr ? 3 : 6);
        foreach (var (key, value) in config.Fields)
        {
            json.Append((byte)',');
            GoJsonString.Append(json, key);
            json.Append((byte)':');
            GoJsonString.Append(json, value);
        }
        json.Append((byte)'}');
        if (config.Network == "tcp") json.Append((byte)0);
        if (compress) Compress(json.Span, output);
        return true;
    }

    private void Compress(ReadOnlySpan<byte> json, ByteBuilder output)
    {
        _compressed.SetLength(0);
        var level = config.CompressionLevel switch
        {
            0 => CompressionLevel.NoCompression,
            >= 6 => CompressionLevel.Optimal,
            _ => CompressionLevel.Fastest, // Go's default for GELF is flate.BestSpeed
        };
        using (Stream compressor = config.Compression == "zlib"
            ? new ZLibStream(_compressed, level, leaveOpen: true)
            : new GZipStream(_compressed, level, leaveOpen: true))
        {
            compressor.Write(json);
        }
        output.Append(_compressed.GetBuffer().AsSpan(0, (int)_compressed.Length));
    }
}

/// <summary>
/// GELF's chunking of a UDP message larger than one datagram: chunks of at most <see cref="ChunkSize"/> bytes, each
/// <c>0x1e 0x0f</c>, an 8-byte message id, its sequence number and the count, then the data; at most 128 chunks.
/// </summary>
internal static class GelfChunks
{
    public const int ChunkSize = 1420;
    private const int HeaderSize = 12;
    private const int MaxChunks = 128;

    /// <summary>Calls <paramref name="send"/> with each datagram of <paramref name="message"/>; false when it is too big for GELF.</summary>
    public static bool Split(ReadOnlySpan<byte> message, ulong messageId, byte[] datagram, Action<byte[], int> send)
    {
        if (message.Length <= ChunkSize)
        {
            message.CopyTo(datagram);
            send(datagram, message.Length);
            return true;
        }
        const int payload = ChunkSize - HeaderSize;
        int count = (message.Length + payload - 1) / payload;
        if (count > MaxChunks) return false;
        for (int i = 0; i < count; i++)
        {
            datagram[0] = 0x1e;
            datagram[1] = 0x0f;
            for (int b = 0; b < 8; b++) datagram[2 + b] = (byte)(messageId >> (56 - 8 * b));
            datagram[10] = (byte)i;
            datagram[11] = (byte)count;
            var part = message.Slice(i * payload, Math.Min(payload, message.Length - i * payload));
            part.CopyTo(datagram.AsSpan(HeaderSize));
            send(datagram, HeaderSize + part.Length);
        }
        return true;
    }
}
