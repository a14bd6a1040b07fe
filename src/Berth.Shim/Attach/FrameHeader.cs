using System.Buffers.Binary;
using Berth.Shim.Io;

namespace Berth.Shim.Attach;

/// <summary>
/// Docker's multiplexed stream header for non-TTY attach: [stream, 0, 0, 0, payload length as uint32 big-endian],
/// followed by the payload. The daemon copies these bytes straight to the hijacked HTTP connection.
/// </summary>
internal static class FrameHeader
{
    public const int Size = 8;

    public static void Write(Span<byte> destination, OutputStream stream, int payloadLength)
    {
        destination[0] = (byte)stream;
        destination[1] = destination[2] = destination[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)payloadLength);
    }
}
