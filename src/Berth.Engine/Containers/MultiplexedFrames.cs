using System.Buffers.Binary;

namespace Berth.Engine.Containers;

/// <summary>
/// Docker's multiplexed stdio stream, as the shim writes a non-TTY container's or exec's output: frames of an 8-byte
/// header (stream, 0, 0, 0, big-endian length) and their payload.
/// </summary>
public static class MultiplexedFrames
{
    /// <summary>
    /// Reads frames until the stream ends, handing over each payload piece as it arrives (a long frame may come in
    /// several); stdout and stderr together, in the order written.
    /// </summary>
    public static async Task ReadAsync(Stream stream, Action<ReadOnlyMemory<byte>> onData, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        var buffer = new byte[16 * 1024];
        while (await ReadExactlyOrEndAsync(stream, header, cancellationToken))
        {
            long remaining = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (remaining > 0)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0) return;
                onData(buffer.AsMemory(0, read));
                remaining -= read;
            }
        }
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0) return false;
            filled += read;
        }
        return true;
    }
}
