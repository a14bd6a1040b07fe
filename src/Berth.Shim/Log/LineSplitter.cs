using Berth.Shim.Io;

namespace Berth.Shim.Log;

/// <summary>
/// Cuts container output into lines as Docker's log copier does: at each newline, and a line that grows to
/// <see cref="MaxLineBytes"/> without one is emitted as a partial line (no trailing newline) that continues in the next;
/// a partial cut never splits a UTF-8 character (it moves back up to 3 bytes). An unfinished line at the end of a
/// stream is emitted as is. Each stream keeps its own unfinished line. Subclasses format what they are given.
/// </summary>
internal abstract class LineSplitter
{
    public const int MaxLineBytes = 16 * 1024;

    private LineBuffer _stdoutLine, _stderrLine;

    /// <summary>Before the lines of a chunk read at <paramref name="unixNanos"/> (and before an end's unfinished line).</summary>
    protected abstract void BeginChunk(OutputStream stream, long unixNanos);

    /// <summary>One line, with its newline unless it is partial or the stream's last.</summary>
    protected abstract void Emit(OutputStream stream, ReadOnlySpan<byte> line);

    /// <summary>Splits a chunk of output read at <paramref name="unixNanos"/>; whole lines are emitted.</summary>
    public void Write(OutputStream stream, ReadOnlySpan<byte> data, long unixNanos)
    {
        BeginChunk(stream, unixNanos);
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
    }

    /// <summary>End of <paramref name="stream"/>: emits its unfinished line, without adding a newline.</summary>
    public void Complete(OutputStream stream, long unixNanos)
    {
        ref LineBuffer pending = ref stream == OutputStream.Stderr ? ref _stderrLine : ref _stdoutLine;
        if (pending.Length == 0) return;
        BeginChunk(stream, unixNanos);
        Emit(stream, pending.Span);
        pending.Clear();
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
