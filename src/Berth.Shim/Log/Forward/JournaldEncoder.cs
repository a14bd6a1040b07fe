using System.Text;
using Berth.Shim.Io;

namespace Berth.Shim.Log.Forward;

/// <summary>
/// journald's native protocol, one datagram per line: <c>KEY=value\n</c> fields (a value holding a newline is written
/// as <c>KEY\n</c>, its 64-bit little-endian length, the value, <c>\n</c>): MESSAGE, PRIORITY (6 stdout, 3 stderr),
/// then Docker's CONTAINER_ID, CONTAINER_ID_FULL, CONTAINER_NAME, CONTAINER_TAG, IMAGE_NAME, SYSLOG_IDENTIFIER from the
/// daemon, and CONTAINER_PARTIAL_MESSAGE=true for a line without its newline. Empty lines are not sent.
/// </summary>
internal sealed class JournaldEncoder(ForwardConfig config) : IMessageEncoder
{
    private readonly byte[][] _fields = [.. config.Fields.SelectMany(f => new[] { Encoding.UTF8.GetBytes(f.Key), Encoding.UTF8.GetBytes(f.Value) })];

    public bool Encode(OutputStream stream, ReadOnlySpan<byte> line, bool partial, long unixNanos, ByteBuilder output)
    {
        if (line.IsEmpty) return false;
        Field(output, "MESSAGE"u8, line);
        Field(output, "PRIORITY"u8, stream == OutputStream.Stderr ? "3"u8 : "6"u8);
        for (int i = 0; i < _fields.Length; i += 2) Field(output, _fields[i], _fields[i + 1]);
        if (partial) Field(output, "CONTAINER_PARTIAL_MESSAGE"u8, "true"u8);
        return true;
    }

    private static void Field(ByteBuilder output, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        output.Append(key);
        if (value.IndexOf((byte)'\n') < 0)
        {
            output.Append((byte)'=');
            output.Append(value);
        }
        else
        {
            output.Append((byte)'\n');
            var length = output.GetSpan(8);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)value.Length);
            output.Advance(8);
            output.Append(value);
        }
        output.Append((byte)'\n');
    }
}
