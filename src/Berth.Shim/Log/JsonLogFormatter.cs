using Berth.Shim.Io;
using Berth.Shim.Native;

namespace Berth.Shim.Log;

/// <summary>
/// Turns container output into Docker json-file log lines:
/// <c>{"log":"text\n","stream":"stdout","time":"2026-11-28T01:02:03.123456789Z"}</c>, one per line of output as
/// <see cref="LineSplitter"/> cuts it (a partial entry's "log" has no trailing newline). All entries of one write share its
/// timestamp (the time the chunk was read), in Go's RFC3339Nano form as Docker writes it.
/// Entries collect in a buffer that goes to the sink when full and on <see cref="Flush"/>, so the sink sees large
/// batches of whole entries (never a torn one).
/// </summary>
internal sealed class JsonLogFormatter(ILogSink sink) : LineSplitter
{
    /// <summary>Entries collect up to this much before each write (a burst's read chunk of text makes several).</summary>
    public const int OutputCapacity = 512 * 1024;

    private static ReadOnlySpan<byte> Prefix => "{\"log\":\""u8;
    private static ReadOnlySpan<byte> StdoutMiddle => "\",\"stream\":\"stdout\",\"time\":\""u8;
    private static ReadOnlySpan<byte> StderrMiddle => "\",\"stream\":\"stderr\",\"time\":\""u8;
    private static ReadOnlySpan<byte> Suffix => "\"}\n"u8;
    private const int TailCapacity = 28 + Rfc3339.Length + 3;

    // Everything after the text, the same for every entry of one chunk: "","stream":"stdout","time":"…"}\n".
    private readonly byte[] _tail = new byte[TailCapacity];
    private int _tailLength;
    private NativeBuffer? _output;
    private int _outputLength;

    /// <summary>Hands every formatted entry to the sink.</summary>
    public void Flush()
    {
        if (_outputLength == 0) return;
        sink.Write(_output!.Span[.._outputLength]);
        _outputLength = 0;
    }

    /// <summary>Frees the output buffer (after a burst; the next entry allocates it again). Only when flushed.</summary>
    public void ReleaseBuffer()
    {
        if (_outputLength > 0) return;
        _output?.Dispose();
        _output = null;
    }

    protected override void BeginChunk(OutputStream stream, long unixNanos)
    {
        var tail = _tail.AsSpan();
        var middle = stream == OutputStream.Stderr ? StderrMiddle : StdoutMiddle;
        middle.CopyTo(tail);
        int n = middle.Length;
        n += Rfc3339.FormatTrimmed(unixNanos, tail[n..]);
        Suffix.CopyTo(tail[n..]);
        _tailLength = n + Suffix.Length;
    }

    protected override void Emit(OutputStream stream, ReadOnlySpan<byte> line)
    {
        int worstCase = Prefix.Length + JsonEscaper.MaxLength(line.Length) + _tailLength;
        _output ??= new NativeBuffer(Math.Max(OutputCapacity, worstCase));
        if (_outputLength + worstCase > _output.Length) Flush();

        var o = _output.Span[_outputLength..];
        Prefix.CopyTo(o);
        int n = Prefix.Length;
        n += JsonEscaper.Escape(line, o[n..]);
        _tail.AsSpan(0, _tailLength).CopyTo(o[n..]);
        _outputLength += n + _tailLength;
    }
}
