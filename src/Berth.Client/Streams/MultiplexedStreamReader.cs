using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Berth.Client.Streams;

/// <summary>
/// Reads Docker's multiplexed stream: frames of an 8-byte header (<c>[type, 0, 0, 0, size as big-endian uint32]</c>)
/// followed by <c>size</c> bytes of payload, used for logs and attach of containers without a TTY.
/// </summary>
public sealed class MultiplexedStreamReader(Stream source)
{
    private readonly byte[] _header = new byte[8];

    /// <summary>Reads the next frame header; false at a clean end of stream.</summary>
    public async ValueTask<(bool Ok, StdStreamType Type, int Length)> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        var read = await source.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
            return (false, default, 0);
        if (read < _header.Length)
            throw new EndOfStreamException("truncated frame header in the daemon's multiplexed stream");
        var length = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
        if (length > int.MaxValue)
            throw new InvalidDataException("frame too large in the daemon's multiplexed stream");
        return (true, (StdStreamType)_header[0], (int)length);
    }

    /// <summary>
    /// Copies every frame to <paramref name="stdout"/> or <paramref name="stderr"/> (either may be null to discard),
    /// flushing after each frame so interactive output appears at once. A system-error frame ends with an exception.
    /// </summary>
    public async Task DemuxAsync(Stream? stdout, Stream? stderr, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            while (true)
            {
                var (ok, type, length) = await ReadHeaderAsync(cancellationToken);
                if (!ok)
                    return;
                if (type == StdStreamType.SystemError)
                {
                    var message = new byte[length];
                    await source.ReadExactlyAsync(message, cancellationToken);
                    throw new IOException(Encoding.UTF8.GetString(message).TrimEnd());
                }
                var target = type switch
                {
                    StdStreamType.Stdout or StdStreamType.Stdin => stdout,
                    StdStreamType.Stderr => stderr,
                    _ => throw new InvalidDataException($"unrecognized stream type {(byte)type} in the daemon's multiplexed stream"),
                };
                var remaining = length;
                while (remaining > 0)
                {
                    var chunk = await source.ReadAsync(buffer.AsMemory(0, Math.Min(remaining, buffer.Length)), cancellationToken);
                    if (chunk == 0)
                        throw new EndOfStreamException("truncated frame in the daemon's multiplexed stream");
                    if (target is not null)
                        await target.WriteAsync(buffer.AsMemory(0, chunk), cancellationToken);
                    remaining -= chunk;
                }
                if (target is not null)
                    await target.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes one frame; used by tests and by anything that fakes a daemon.</summary>
    public static void WriteFrame(Stream destination, StdStreamType type, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[8];
        header.Clear();
        header[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)payload.Length);
        destination.Write(header);
        destination.Write(payload);
    }
}
