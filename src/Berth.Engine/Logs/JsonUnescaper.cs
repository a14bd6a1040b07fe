using System.Buffers.Text;
using System.Text;

namespace Berth.Engine.Logs;

/// <summary>
/// Undoes JSON string escapes (<c>\n</c>, <c>\"</c>, <c>\u00e9</c>, surrogate pairs …) into UTF-8, copying the runs
/// between backslashes whole. As Go's decoder, a lone surrogate becomes U+FFFD. A malformed escape (never written by
/// the shim) is copied as it is rather than failing the whole entry.
/// </summary>
internal static class JsonUnescaper
{
    /// <summary>Writes the unescaped text (never longer than <paramref name="source"/>); returns its length.</summary>
    public static int Unescape(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int written = 0;
        while (true)
        {
            int backslash = source.IndexOf((byte)'\\');
            if (backslash < 0 || backslash == source.Length - 1)
            {
                source.CopyTo(destination[written..]);
                return written + source.Length;
            }
            source[..backslash].CopyTo(destination[written..]);
            written += backslash;
            byte kind = source[backslash + 1];
            byte simple = kind switch
            {
                (byte)'n' => (byte)'\n',
                (byte)'t' => (byte)'\t',
                (byte)'r' => (byte)'\r',
                (byte)'"' => (byte)'"',
                (byte)'\\' => (byte)'\\',
                (byte)'/' => (byte)'/',
                (byte)'b' => (byte)'\b',
                (byte)'f' => (byte)'\f',
                _ => 0,
            };
            if (simple != 0)
            {
                destination[written++] = simple;
                source = source[(backslash + 2)..];
                continue;
            }
            if (kind == 'u' && TryHex(source[(backslash + 2)..], out int unit))
            {
                int consumed = 6;
                int scalar = unit;
                if (char.IsHighSurrogate((char)unit))
                {
                    var next = source[(backslash + 6)..];
                    if (next.Length >= 6 && next[0] == '\\' && next[1] == 'u' && TryHex(next[2..], out int low) && char.IsLowSurrogate((char)low))
                    {
                        scalar = char.ConvertToUtf32((char)unit, (char)low);
                        consumed = 12;
                    }
                    else
                    {
                        scalar = 0xFFFD;
                    }
                }
                else if (char.IsLowSurrogate((char)unit))
                {
                    scalar = 0xFFFD;
                }
                written += new Rune(scalar).EncodeToUtf8(destination[written..]);
                source = source[(backslash + consumed)..];
                continue;
            }
            destination[written++] = (byte)'\\';
            source = source[(backslash + 1)..];
        }
    }

    private static bool TryHex(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        return text.Length >= 4 && Utf8Parser.TryParse(text[..4], out ushort parsed, out int consumed, 'x') && consumed == 4
               && (value = parsed) >= 0;
    }
}
