using Berth.Shim.Io;

namespace Berth.Shim.Log.Forward;

/// <summary>
/// Docker's logging-plugin stream: each line is a <c>LogEntry</c> protobuf message (moby's logdriver/entry.proto:
/// 1 source, 2 time_nano, 3 line, 4 partial) after its length as a 4-byte big-endian number, written to the FIFO the
/// plugin reads. Fields at their default value are left out, as proto3 encoders do; dockerd fills in no more than
/// these four. Every line is sent, empty ones too (the plugin decides).
/// </summary>
internal sealed class LogEntryEncoder : IMessageEncoder
{
    private const byte SourceTag = (1 << 3) | 2, TimeTag = 2 << 3, LineTag = (3 << 3) | 2, PartialTag = 4 << 3;

    public bool Encode(OutputStream stream, ReadOnlySpan<byte> line, bool partial, long unixNanos, ByteBuilder output)
    {
        var source = stream == OutputStream.Stderr ? "stderr"u8 : "stdout"u8;
        int size = 1 + VarintLength((ulong)source.Length) + source.Length;
        if (unixNanos != 0) size += 1 + VarintLength((ulong)unixNanos);
        if (!line.IsEmpty) size += 1 + VarintLength((ulong)line.Length) + line.Length;
        if (partial) size += 2;
        output.WriteBigEndian((ulong)size, 4);
        output.Append(SourceTag);
        AppendVarint(output, (ulong)source.Length);
        output.Append(source);
        if (unixNanos != 0)
        {
            output.Append(TimeTag);
            AppendVarint(output, (ulong)unixNanos); // int64: a negative time is ten bytes, as Go writes it
        }
        if (!line.IsEmpty)
        {
            output.Append(LineTag);
            AppendVarint(output, (ulong)line.Length);
            output.Append(line);
        }
        if (partial)
        {
            output.Append(PartialTag);
            output.Append(1);
        }
        return true;
    }

    private static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    private static void AppendVarint(ByteBuilder output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Append((byte)(value | 0x80));
            value >>= 7;
        }
        output.Append((byte)value);
    }
}
