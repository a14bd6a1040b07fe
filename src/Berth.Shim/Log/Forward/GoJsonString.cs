using System.Buffers;
using System.Text;

namespace Berth.Shim.Log.Forward;

/// <summary>
/// A JSON string as Go's encoding/json writes it (what Docker's GELF messages are): quote, backslash and control
/// characters escaped (\n \r \t, others \u00XX), the HTML characters &lt; &gt; &amp; as \u003c \u003e \u0026,
/// U+2028/U+2029 escaped, and invalid UTF-8 as \ufffd; everything else raw.
/// </summary>
internal static class GoJsonString
{
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    public static void Append(ByteBuilder output, string text) => Append(output, Encoding.UTF8.GetBytes(text));

    public static void Append(ByteBuilder output, ReadOnlySpan<byte> utf8)
    {
        output.Append((byte)'"');
        int i = 0;
        while (i < utf8.Length)
        {
            byte b = utf8[i];
            if (b < 0x80)
            {
                i++;
                switch (b)
                {
                    case (byte)'"': output.Append("\\\""u8); break;
                    case (byte)'\\': output.Append("\\\\"u8); break;
                    case (byte)'\n': output.Append("\\n"u8); break;
                    case (byte)'\r': output.Append("\\r"u8); break;
                    case (byte)'\t': output.Append("\\t"u8); break;
                    case < 0x20 or (byte)'<' or (byte)'>' or (byte)'&': AppendEscape(output, b); break;
                    default: output.Append(b); break;
                }
                continue;
            }
            var status = Rune.DecodeFromUtf8(utf8[i..], out var rune, out int consumed);
            if (status != OperationStatus.Done) output.Append("\\ufffd"u8);
            else if (rune.Value is 0x2028 or 0x2029) AppendEscape(output, rune.Value);
            else output.Append(utf8.Slice(i, consumed));
            i += Math.Max(consumed, 1);
        }
        output.Append((byte)'"');
    }

    private static void AppendEscape(ByteBuilder output, int value)
    {
        var span = output.GetSpan(6);
        span[0] = (byte)'\\';
        span[1] = (byte)'u';
        for (int d = 0; d < 4; d++) span[2 + d] = Hex[(value >> (12 - 4 * d)) & 0xF];
        output.Advance(6);
    }
}
