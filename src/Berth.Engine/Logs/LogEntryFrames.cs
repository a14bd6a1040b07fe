using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Berth.Engine.Logs;

/// <summary>One message of Docker's logging-plugin stream (moby's logdriver <c>LogEntry</c>).</summary>
public sealed record PluginLogEntry(string Source, long TimeNano, byte[] Line, bool Partial);

/// <summary>
/// Docker's logging-plugin framing: each <c>LogEntry</c> protobuf message after its length as a 4-byte big-endian
/// number. The shim writes these into a plugin's FIFO; a plugin's ReadLogs answers a stream of them. Only the fields
/// dockerd uses are read (1 source, 2 time_nano, 3 line, 4 partial); others are skipped as protobuf allows.
/// </summary>
public static class LogEntryFrames
{
    /// <summary>dockerd's decoder refuses larger messages (a corrupt length would otherwise allocate gigabytes).</summary>
    public const int MaxMessageSize = 1_000_000;

    /// <summary>The frame of one entry (length and message), as dockerd's encoder writes it.</summary>
    public static byte[] Encode(PluginLogEntry entry)
    {
        var message = new List<byte>(entry.Line.Length + 32);
        if (entry.Source.Length > 0) AppendBytes(message, 1, System.Text.Encoding.UTF8.GetBytes(entry.Source));
        if (entry.TimeNano != 0)
        {
            message.Add(2 << 3);
            AppendVarint(message, (ulong)entry.TimeNano);
        }
        if (entry.Line.Length > 0) AppendBytes(message, 3, entry.Line);
        if (entry.Partial)
        {
            message.Add(4 << 3);
            message.Add(1);
        }
        var frame = new byte[4 + message.Count];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)message.Count);
        message.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>Decodes one message (without its length prefix).</summary>
    public static PluginLogEntry Decode(ReadOnlySpan<byte> message)
    {
        string source = "";
        long time = 0;
        byte[] line = [];
        bool partial = false;
        while (!message.IsEmpty)
        {
            ulong key = ReadVarint(ref message);
            int field = (int)(key >> 3), wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                {
                    ulong value = ReadVarint(ref message);
                    if (field == 2) time = (long)value;
                    else if (field == 4) partial = value != 0;
                    break;
                }
                case 2:
                {
                    ulong length = ReadVarint(ref message);
                    if (length > (ulong)message.Length) throw new InvalidDataException("log entry: a field runs past the message's end");
                    var value = message[..(int)length];
                    message = message[(int)length..];
                    if (field == 1) source = System.Text.Encoding.UTF8.GetString(value);
                    else if (field == 3) line = value.ToArray();
                    break; // 5 (partial_log_metadata) and 6 (attrs) are not used
                }
                case 1:
                    Skip(ref message, 8);
                    break;
                case 5:
                    Skip(ref message, 4);
                    break;
                default:
                    throw new InvalidDataException($"log entry: unexpected wire type {wireType}");
            }
        }
        return new PluginLogEntry(source, time, line, partial);
    }

    /// <summary>Reads the entries of a stream to its end; a stream cut inside a frame ends with an error.</summary>
    public static async IAsyncEnumerable<PluginLogEntry> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var header = new byte[4];
        var buffer = new byte[4096];
        while (true)
        {
            int got = await stream.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, cancellationToken);
            if (got == 0) yield break;
            if (got < 4) throw new InvalidDataException("log entry: the stream ends inside a frame");
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (size > MaxMessageSize) throw new InvalidDataException($"log entry: message of {size} bytes is too large (at most {MaxMessageSize})");
            if (buffer.Length < size) buffer = new byte[Math.Max(size, buffer.Length * 2)];
            await stream.ReadExactlyAsync(buffer.AsMemory(0, (int)size), cancellationToken);
            yield return Decode(buffer.AsSpan(0, (int)size));
        }
    }

    private static void AppendBytes(List<byte> message, int field, byte[] value)
    {
        message.Add((byte)((field << 3) | 2));
        AppendVarint(message, (ulong)value.Length);
        message.AddRange(value);
    }

    private static void AppendVarint(List<byte> message, ulong value)
    {
        while (value >= 0x80)
        {
            message.Add((byte)(value | 0x80));
            value >>= 7;
        }
        message.Add((byte)value);
    }

    private static ulong ReadVarint(ref ReadOnlySpan<byte> message)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (message.IsEmpty) throw new InvalidDataException("log entry: a varint runs past the message's end");
            byte b = message[0];
            message = message[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("log entry: a varint is too long");
    }

    private static void Skip(ref ReadOnlySpan<byte> message, int count)
    {
        if (message.Length < count) throw new InvalidDataException("log entry: a field runs past the message's end");
        message = message[count..];
    }
}
