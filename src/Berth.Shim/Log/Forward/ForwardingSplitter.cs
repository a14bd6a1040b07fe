using Berth.Shim.Io;

namespace Berth.Shim.Log.Forward;

/// <summary>The sender thread's end: cuts the queued output into lines (as the log file does) and sends each as a message.</summary>
internal sealed class ForwardingSplitter(IMessageEncoder encoder, Action<ReadOnlySpan<byte>> deliver) : LineSplitter
{
    private readonly ByteBuilder _message = new();
    private long _unixNanos;

    protected override void BeginChunk(OutputStream stream, long unixNanos) => _unixNanos = unixNanos;

    protected override void Emit(OutputStream stream, ReadOnlySpan<byte> line)
    {
        bool partial = line.IsEmpty || line[^1] != (byte)'\n';
        _message.Clear();
        if (encoder.Encode(stream, partial ? line : line[..^1], partial, _unixNanos, _message)) deliver(_message.Span);
    }
}
