using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Berth.Shim.Log;

/// <summary>
/// Escapes raw container output into the body of a JSON string. Safe bytes (printable ASCII other than quote and
/// backslash) are scanned and copied 32 or 16 at a time; control characters, quote and backslash are escaped from a
/// table; invalid UTF-8 becomes U+FFFD, so every log line is valid JSON whatever the program wrote.
/// The destination must hold <see cref="MaxLength"/> bytes.
/// </summary>
internal static class JsonEscaper
{
    public const int MaxExpansion = 6;

    private static readonly byte[] Replacement = [0xEF, 0xBF, 0xBD];
    private static readonly ulong[] EscapeBytes = new ulong[128];
    private static readonly byte[] EscapeLength = new byte[128];

    static JsonEscaper()
    {
        ReadOnlySpan<byte> hex = "0123456789abcdef"u8;
        Span<byte> entry = stackalloc byte[8];
        for (int b = 0; b < 0x20; b++)
        {
            "\\u00"u8.CopyTo(entry);
            entry[4] = hex[b >> 4];
            entry[5] = hex[b & 0xF];
            Set(b, entry, 6);
        }
        foreach (var (b, c) in new[] { ('\n', 'n'), ('\r', 'r'), ('\t', 't'), ('"', '"'), ('\\', '\\') })
        {
            entry[0] = (byte)'\\';
            entry[1] = (byte)c;
            Set(b, entry, 2);
        }

        static void Set(int b, ReadOnlySpan<byte> entry, int length)
        {
            EscapeBytes[b] = MemoryMarshal.Read<ulong>(entry);
            EscapeLength[b] = (byte)length;
        }
    }

    /// <summary>Room the destination needs: six bytes per input byte, plus slack for 8-byte stores.</summary>
    public static int MaxLength(int sourceLength) => sourceLength * MaxExpansion + 8;

    public static int Escape(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < MaxLength(source.Length)) throw new ArgumentException("destination too small", nameof(destination));
        ref byte src = ref MemoryMarshal.GetReference(source);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        int n = source.Length, i = 0, w = 0;
        while (i < n)
        {
            int safe = SafePrefix(ref Unsafe.Add(ref src, i), n - i, ref Unsafe.Add(ref dst, w));
            i += safe;
            w += safe;
            // Escape a whole run of special bytes here (binary output, NUL padding) before vector scanning again.
            while (i < n)
            {
                byte b = Unsafe.Add(ref src, i);
                if (b >= 0x80)
                {
                    var status = Rune.DecodeFromUtf8(source[i..], out _, out int consumed);
                    if (status == OperationStatus.Done) source.Slice(i, consumed).CopyTo(destination[w..]);
                    else Replacement.CopyTo(destination[w..]);
                    w += status == OperationStatus.Done ? consumed : Replacement.Length;
                    i += Math.Max(consumed, 1);
                }
                else if (EscapeLength[b] != 0)
                {
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, w), EscapeBytes[b]);
                    w += EscapeLength[b];
                    i++;
                }
                else
                {
                    break;
                }
            }
        }
        return w;
    }

    /// <summary>Copies bytes up to the first one that needs escaping (or is not ASCII); returns how many were safe.</summary>
    private static int SafePrefix(ref byte src, int length, ref byte dst)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 32 <= length; i += 32)
            {
                var v = Vector256.LoadUnsafe(ref src, (nuint)i);
                v.StoreUnsafe(ref dst, (nuint)i); // the destination has room; bytes past the first special are overwritten later
                var special = Vector256.LessThan(v.AsSByte(), Vector256.Create((sbyte)0x20)).AsByte()
                    | Vector256.Equals(v, Vector256.Create((byte)'"'))
                    | Vector256.Equals(v, Vector256.Create((byte)'\\'));
                if (special != Vector256<byte>.Zero) return i + BitOperations.TrailingZeroCount(special.ExtractMostSignificantBits());
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 16 <= length; i += 16)
            {
                var v = Vector128.LoadUnsafe(ref src, (nuint)i);
                v.StoreUnsafe(ref dst, (nuint)i);
                var special = Vector128.LessThan(v.AsSByte(), Vector128.Create((sbyte)0x20)).AsByte()
                    | Vector128.Equals(v, Vector128.Create((byte)'"'))
                    | Vector128.Equals(v, Vector128.Create((byte)'\\'));
                if (special != Vector128<byte>.Zero) return i + BitOperations.TrailingZeroCount(special.ExtractMostSignificantBits());
            }
        }
        for (; i < length; i++)
        {
            byte b = Unsafe.Add(ref src, i);
            if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') return i;
            Unsafe.Add(ref dst, i) = b;
        }
        return i;
    }
}
