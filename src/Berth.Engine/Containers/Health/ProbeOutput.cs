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

    /// <summary>Reads the shim's multiplexed frames until the stream ends.</summary>
    public Task ReadFramesAsync(Stream stream, CancellationToken cancellationToken) =>
        MultiplexedFrames.ReadAsync(stream, data => Append(data.Span), cancellationToken);
}
