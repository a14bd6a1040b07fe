using System.Buffers.Binary;

namespace Berth.Engine.Networks.Dns;

/// <summary>DNS over TCP: each message preceded by its length in two bytes (RFC 1035 4.2.2).</summary>
internal static class DnsTcpFraming
{
    /// <summary>The next message, or null at a clean end of stream.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var prefix = new byte[2];
        int read = 0;
        while (read < 2)
        {
            int n = await stream.ReadAsync(prefix.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0) return read == 0 ? null : throw new EndOfStreamException("DNS message cut short");
            read += n;
        }
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(message, cancellationToken).ConfigureAwait(false);
        return message;
    }

    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var framed = new byte[2 + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed.AsMemory(2));
        await stream.WriteAsync(framed, cancellationToken).ConfigureAwait(false);
    }
}
