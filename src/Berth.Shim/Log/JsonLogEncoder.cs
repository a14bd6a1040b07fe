using Berth.Shim.Io;
using Berth.Shim.Native;

namespace Berth.Shim.Log;

/// <summary>
/// Turns container output into Docker json-file log lines:
/// <c>{"log":"text\n","stream":"stdout","time":"2026-11-28T01:02:03.123456789Z"}</c>, one per line of output.
/// Like Docker, a line that grows to 16 KiB without a newline is written as a partial entry (its "log" has no trailing
/// newline) and the rest continues in the next entry; a partial cut never splits a UTF-8 character (it moves back up
/// to 3 bytes). An unfinished line at end of stream is written as is. All entries of one <see cref="Write"/> share its
/// timestamp (the time the chunk was read) and reach the sink in one batch.
/// </summary>
internal sealed class JsonLogEncoder(ILogSink sink)
{
    public const int MaxLineBytes = 16 * 1024;

    private static ReadOnlySpan<byte> Prefix => "{\"log\":\""u8;
    private static ReadOnlySpan<byte> StdoutMiddle => "\",\"stream\":\"stdout\",\"time\":\""u8;
    private static ReadOnlySpan<byte> StderrMiddle => "\",\"stream\":\"stderr\",\"time\":\""u8;
    private static ReadOnlySpan<byte> Suffix => "\"}\n"u8;
    private const int EntryOverhead = 8 + 28 + Rfc3339.Length + 3;
    private const int OutputCapacity = 128 * 1024;

    private LineBuffer _stdoutLine, _stderrLine;
    private readonly byte[] _time = new byte[Rfc3339.Length];
    private NativeBuffer? _output;
    private int _outputLength;

    /// <summary>Logs a chunk of output read at <paramref name="unixNanos"/>.</summary>
    public void Write(OutputStream stream, ReadOnlySpan<byte> data, long unixNanos)
    {
        Rfc3339.Format(unixNanos, _time);
        ref LineBuffer pending = ref stream == OutputStream.Stderr ? ref _stderrLine : ref _stdoutLine;
        while (!data.IsEmpty)
        {
            int room = MaxLineBytes - pending.Length;
            int newline = data[..Math.Min(room, data.Length)].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = data[..(newline + 1)];
                data = data[(newline + 1)..];
                if (pending.Length == 0)
                {
                    Emit(stream, line);
                }
                else
                {
                    pending.Append(line);
                    Emit(stream, pending.Span);
                    pending.Clear();
                }
                continue;
            }
            if (data.Length < room)
            {
                pending.Append(data);
                break;
            }
            if (pending.Length == 0)
            {
                int cut = CharacterBoundary(data[..room]);
                Emit(stream, data[..cut]);
                data = data[cut..];
            }
            else
            {
                pending.Append(data[..room]);
                data = data[room..];
                int cut = CharacterBoundary(pending.Span);
                Emit(stream, pending.Span[..cut]);
                pending.RemovePrefix(cut);
            }
        }
        FlushOutput();
    }

    /// <summary>End of <paramref name="stream"/>: writes its unfinished line, without adding a newline.</summary>
    public void Complete(OutputStream stream, long unixNanos)
    {
        ref LineBuffer pending = ref stream == OutputStream.Stderr ? ref _stderrLine : ref _stdoutLine;
        if (pending.Length == 0) return;
        Rfc3339.Format(unixNanos, _time);
        Emit(stream, pending.Span);
        pending.Clear();
        FlushOutput();
    }

    private void Emit(OutputStream stream, ReadOnlySpan<byte> line)
    {
        int worstCase = EntryOverhead + JsonEscaper.MaxLength(line.Length);
        _output ??= new NativeBuffer(OutputCapacity);
        if (_outputLength + worstCase > _output.Length) FlushOutput();

        var o = _output.Span[_outputLength..];
        Prefix.CopyTo(o);
        int n = Prefix.Length;
        n += JsonEscaper.Escape(line, o[n..]);
        var middle = stream == OutputStream.Stderr ? StderrMiddle : StdoutMiddle;
        middle.CopyTo(o[n..]);
        n += middle.Length;
        _time.CopyTo(o[n..]);
        n += _time.Length;
        Suffix.CopyTo(o[n..]);
        _outputLength += n + Suffix.Length;
    }

    private void FlushOutput()
    {
        if (_outputLength == 0) return;
        sink.Write(_output!.Span[.._outputLength]);
        _outputLength = 0;
    }

    /// <summary>The largest length ≤ span.Length that does not end inside a UTF-8 sequence (the full length if none is open).</summary>
    internal static int CharacterBoundary(ReadOnlySpan<byte> span)
    {
        int i = span.Length - 1, continuation = 0;
        while (i >= 0 && continuation < 3 && (span[i] & 0xC0) == 0x80)
        {
            i--;
            continuation++;
        }
        if (i <= 0 || span[i] < 0xC0) return span.Length; // ASCII, stray continuation bytes, or nothing to keep
        int needed = span[i] >= 0xF0 ? 4 : span[i] >= 0xE0 ? 3 : 2;
        return continuation + 1 < needed ? i : span.Length;
    }
}
