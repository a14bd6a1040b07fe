using System.Buffers.Binary;
using System.Text;

namespace Berth.Engine.Containers.Health;

/// <summary>
/// A probe's stdout and stderr together, in arrival order, cut at Docker's 4096 bytes (with "..." when cut).
/// Reads the shim's multiplexed frames to their end, keeping only what fits.
/// </summary>
public sealed class ProbeOutput
{
    public const int MaxBytes = 4096;

    private readonly MemoryStream _kept = new();
    private bool _truncated;

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_kept)
        {
            int room = MaxBytes - (int)_kept.Length;
            if (data.Length > room)
            {
                _truncated = true;
                data = data[..Math.Max(room, 0)];
            }
            _kept.Write(data);
        }
    }

    public override string ToString()
    {
        lock (_kept)
        {
            string text = Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
            return _truncated ? text + "..." : text;
        }
    }

    /// <summary>Reads multiplexed frames (8-byte header: stream, 0, 0, 0, big-endian length) until the stream ends.</summary>
    public async Task ReadFramesAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        var buffer = new byte[16 * 1024];
        while (true)
        {
            if (!await ReadExactlyOrEndAsync(stream, header, cancellationToken)) return;
            long remaining = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (remaining > 0)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0) return;
                Append(buffer.AsSpan(0, read));
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
