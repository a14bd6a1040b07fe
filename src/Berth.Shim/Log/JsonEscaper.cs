using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Berth.Shim.Log;

/// <summary>
/// Escapes raw container output into the body of a JSON string. Printable ASCII is copied in bulk (vectorised search);
/// control characters, quote and backslash are escaped; invalid UTF-8 becomes U+FFFD, so every log line is valid JSON
/// whatever bytes the program wrote. Output is at most <see cref="MaxExpansion"/> times the input.
/// </summary>
internal static class JsonEscaper
{
    public const int MaxExpansion = 6;

    private static readonly SearchValues<byte> SafeAscii = SearchValues.Create(Range(0x20, 0x80, except: [(byte)'"', (byte)'\\']));
    private static readonly SearchValues<byte> SpecialAscii = SearchValues.Create([.. Range(0x00, 0x20, except: []), (byte)'"', (byte)'\\']);
    private static readonly byte[] Replacement = [0xEF, 0xBF, 0xBD];
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>Writes the escaped form of <paramref name="source"/>; <paramref name="destination"/> must hold 6 bytes per input byte.</summary>
    public static int Escape(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int written = 0;
        while (true)
        {
            int i = source.IndexOfAnyExcept(SafeAscii);
            if (i < 0)
            {
                source.CopyTo(destination[written..]);
                return written + source.Length;
            }
            source[..i].CopyTo(destination[written..]);
            written += i;
            source = source[i..];

            if (source[0] < 0x80)
            {
                // Runs of control bytes (binary output, \r\n) are common: escape them without re-searching.
                do
                {
                    written += EscapeAscii(source[0], destination[written..]);
                    source = source[1..];
                }
                while (!source.IsEmpty && SpecialAscii.Contains(source[0]));
                continue;
            }

            // ASCII bytes never occur inside a multi-byte sequence, so the run up to the next special ASCII byte validates alone.
            int end = source.IndexOfAny(SpecialAscii);
            var run = end < 0 ? source : source[..end];
            written += Utf8.IsValid(run) ? Copy(run, destination[written..]) : CopyReplacingInvalid(run, destination[written..]);
            source = source[run.Length..];
        }
    }

    private static int Copy(ReadOnlySpan<byte> run, Span<byte> destination)
    {
        run.CopyTo(destination);
        return run.Length;
    }

    private static int CopyReplacingInvalid(ReadOnlySpan<byte> run, Span<byte> destination)
    {
        int written = 0;
        while (!run.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(run, out _, out int consumed);
            if (status == OperationStatus.Done) run[..consumed].CopyTo(destination[written..]);
            else Replacement.CopyTo(destination[written..]);
            written += status == OperationStatus.Done ? consumed : Replacement.Length;
            run = run[Math.Max(consumed, 1)..];
        }
        return written;
    }

    private static int EscapeAscii(byte b, Span<byte> destination)
    {
        byte shortForm = b switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'\n' => (byte)'n',
            (byte)'\r' => (byte)'r',
            (byte)'\t' => (byte)'t',
            _ => 0,
        };
        destination[0] = (byte)'\\';
        if (shortForm != 0)
        {
            destination[1] = shortForm;
            return 2;
        }
        "u00"u8.CopyTo(destination[1..]);
        destination[4] = Hex[b >> 4];
        destination[5] = Hex[b & 0xF];
        return 6;
    }

    private static byte[] Range(int from, int to, byte[] except)
    {
        var list = new List<byte>();
        for (int b = from; b < to; b++)
            if (Array.IndexOf(except, (byte)b) < 0) list.Add((byte)b);
        return [.. list];
    }
}
