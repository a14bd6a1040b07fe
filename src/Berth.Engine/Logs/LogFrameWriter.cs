using System.Buffers.Binary;

namespace Berth.Engine.Logs;

/// <summary>How <c>docker logs</c> output is laid out: Docker's multiplexed frames (raw for TTY containers), each
/// entry optionally prefixed by its time in RFC3339NanoFixed and a space, then by the log's details
/// (<c>key=value,key=value</c>, as <c>--details</c> shows them, and as swarm's service logs carry the task's IDs) and a space.</summary>
public sealed record LogOutputFormat(bool Timestamps, bool Tty, string? Details = null)
{
    internal byte[] DetailsPrefix { get; } = string.IsNullOrEmpty(Details) ? [] : System.Text.Encoding.UTF8.GetBytes(Details + " ");
}

/// <summary>
/// Renders log entries into one growing buffer as the bytes of the logs response, written to the client in large
/// chunks. Each entry is a multiplexed frame of its own, as dockerd sends it: clients such as docker-py's
/// <c>logs(stream=True)</c> hand their users one frame per item and code relies on an item being one line.
/// </summary>
internal sealed class LogFrameWriter(LogOutputFormat format, int capacity)
{
    private const int HeaderSize = 8;
    private const int StdoutStream = 1, StderrStream = 2;

    private byte[] _buffer = new byte[capacity];
    private int _length;
    private int _frameStart = -1;
    private bool _frameIsStderr;

    public int Length => _length;

    public void Append(in JsonLogLine entry)
    {
        int worstCase = HeaderSize + LogTime.FixedLength + 1 + format.DetailsPrefix.Length + entry.MaxTextLength;
        if (_length + worstCase > _buffer.Length) Grow(_length + worstCase);
        if (!format.Tty)
        {
            CloseFrame();
            _frameStart = _length;
            _frameIsStderr = entry.IsStderr;
            _length += HeaderSize;
        }
        var destination = _buffer.AsSpan(_length);
        int n = 0;
        if (format.Timestamps)
        {
            n = LogTime.FormatFixed(entry.UnixNanos, destination);
            destination[n++] = (byte)' ';
        }
        format.DetailsPrefix.CopyTo(destination[n..]);
        n += format.DetailsPrefix.Length;
        n += entry.CopyText(destination[n..]);
        _length += n;
    }

    /// <summary>Closes the open frame and hands out everything rendered; valid until the next <see cref="Append"/>.</summary>
    public ReadOnlyMemory<byte> Take()
    {
        CloseFrame();
        var rendered = _buffer.AsMemory(0, _length);
        _length = 0;
        return rendered;
    }

    private void CloseFrame()
    {
        if (_frameStart < 0) return;
        var header = _buffer.AsSpan(_frameStart, HeaderSize);
        header.Clear();
        header[0] = _frameIsStderr ? (byte)StderrStream : (byte)StdoutStream;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)(_length - _frameStart - HeaderSize));
        _frameStart = -1;
    }

    private void Grow(int needed)
    {
        var bigger = new byte[Math.Max(needed, _buffer.Length * 2)];
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        _buffer = bigger;
    }
}
