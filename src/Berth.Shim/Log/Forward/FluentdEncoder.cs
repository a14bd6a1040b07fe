using System.Text;
using Berth.Shim.Io;

namespace Berth.Shim.Log.Forward;

/// <summary>
/// Fluentd's forward protocol as Docker's fluentd driver speaks it: one msgpack array per line,
/// <c>[tag, time, {container_id, container_name, source, log, ...}, {}]</c>, the time in whole seconds (or an EventTime
/// with nanoseconds, fluentd-sub-second-precision). Empty lines are sent. A line without its newline (a 16 KiB cut, or
/// the stream's unfinished end) carries Docker's partial_message, partial_id, partial_ordinal and partial_last members.
/// </summary>
internal sealed class FluentdEncoder(ForwardConfig config) : IMessageEncoder
{
    private readonly byte[] _tag = Encoding.UTF8.GetBytes(config.Tag);
    private readonly byte[][] _fields = [.. config.Fields.SelectMany(f => new[] { Encoding.UTF8.GetBytes(f.Key), Encoding.UTF8.GetBytes(f.Value) })];
    private readonly Partial[] _partials = [new(), new()];

    private sealed class Partial
    {
        public string Id = "";
        public int Ordinal;
    }

    public bool Encode(OutputStream stream, ReadOnlySpan<byte> line, bool partial, long unixNanos, ByteBuilder output)
    {
        var state = _partials[stream == OutputStream.Stderr ? 1 : 0];
        bool inSeries = partial || state.Ordinal > 0;
        output.Append((byte)0x94);
        MsgPack.String(output, _tag);
        long seconds = Math.DivRem(unixNanos, 1_000_000_000, out long nanos);
        if (config.SubSecond)
        {
            output.Append((byte)0xd7); // fixext 8, type 0: EventTime
            output.Append((byte)0x00);
            output.WriteBigEndian((ulong)seconds, 4);
            output.WriteBigEndian((ulong)nanos, 4);
        }
        else
        {
            MsgPack.Integer(output, seconds);
        }
        MsgPack.MapHeader(output, _fields.Length / 2 + 2 + (inSeries ? 4 : 0));
        for (int i = 0; i < _fields.Length; i += 2)
        {
            MsgPack.String(output, _fields[i]);
            MsgPack.String(output, _fields[i + 1]);
        }
        MsgPack.String(output, "source"u8);
        MsgPack.String(output, stream == OutputStream.Stderr ? "stderr"u8 : "stdout"u8);
        MsgPack.String(output, "log"u8);
        MsgPack.String(output, line);
        if (inSeries)
        {
            if (state.Ordinal == 0) state.Id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            state.Ordinal++;
            MsgPack.String(output, "partial_message"u8);
            MsgPack.String(output, "true"u8);
            MsgPack.String(output, "partial_id"u8);
            MsgPack.String(output, Encoding.ASCII.GetBytes(state.Id));
            MsgPack.String(output, "partial_ordinal"u8);
            MsgPack.String(output, Encoding.ASCII.GetBytes(state.Ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            MsgPack.String(output, "partial_last"u8);
            MsgPack.String(output, partial ? "false"u8 : "true"u8);
            if (!partial) state.Ordinal = 0;
        }
        output.Append((byte)0x80); // the option map, empty
        return true;
    }
}

/// <summary>The few msgpack forms fluentd's messages use, each in its smallest encoding as Go's msgp writes it.</summary>
internal static class MsgPack
{
    public static void String(ByteBuilder output, ReadOnlySpan<byte> utf8)
    {
        int n = utf8.Length;
        if (n < 32) output.Append((byte)(0xa0 | n));
        else if (n < 256)
        {
            output.Append((byte)0xd9);
            output.Append((byte)n);
        }
        else if (n < 65536)
        {
            output.Append((byte)0xda);
            output.WriteBigEndian((ulong)n, 2);
        }
        else
        {
            output.Append((byte)0xdb);
            output.WriteBigEndian((ulong)n, 4);
        }
        output.Append(utf8);
    }

    public static void MapHeader(ByteBuilder output, int count)
    {
        if (count < 16) output.Append((byte)(0x80 | count));
        else
        {
            output.Append((byte)0xde);
            output.WriteBigEndian((ulong)count, 2);
        }
    }

    /// <summary>A signed integer (msgp's AppendInt64: positive fixint, then int8/16/32/64).</summary>
    public static void Integer(ByteBuilder output, long value)
    {
        if (value is >= -32 and <= 127) output.Append((byte)value);
        else if (value is >= sbyte.MinValue and <= sbyte.MaxValue)
        {
            output.Append((byte)0xd0);
            output.Append((byte)value);
        }
        else if (value is >= short.MinValue and <= short.MaxValue)
        {
            output.Append((byte)0xd1);
            output.WriteBigEndian((ulong)value, 2);
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            output.Append((byte)0xd2);
            output.WriteBigEndian((ulong)value, 4);
        }
        else
        {
            output.Append((byte)0xd3);
            output.WriteBigEndian((ulong)value, 8);
        }
    }
}
