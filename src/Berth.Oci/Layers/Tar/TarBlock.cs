using System.Text;

namespace Berth.Oci.Layers.Tar;

/// <summary>Field offsets of the 512-byte ustar header block and the number encodings tar uses in them.</summary>
internal static class TarBlock
{
    public const int Size = 512;

    public const int NameOffset = 0, NameLength = 100;
    public const int ModeOffset = 100, UidOffset = 108, GidOffset = 116, IdLength = 8;
    public const int SizeOffset = 124, MTimeOffset = 136, NumberLength12 = 12;
    public const int ChecksumOffset = 148, ChecksumLength = 8;
    public const int TypeOffset = 156;
    public const int LinkNameOffset = 157;
    public const int MagicOffset = 257;
    public const int UserNameOffset = 265, GroupNameOffset = 297, OwnerNameLength = 32;
    public const int DevMajorOffset = 329, DevMinorOffset = 337;
    public const int PrefixOffset = 345, PrefixLength = 155;

    /// <summary>Largest value an octal field of <paramref name="fieldLength"/> bytes holds (one byte is the terminator).</summary>
    public static long MaxOctal(int fieldLength) => (1L << (3 * (fieldLength - 1))) - 1;

    public static string ReadString(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    /// <summary>Reads an octal field, or a base-256 one (high bit set, a GNU extension also written by Go for big values).</summary>
    public static bool TryReadNumber(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            if ((field[0] & 0x40) != 0) return false; // negative base-256: never valid for what we read
            value = field[0] & 0x3f;
            foreach (byte b in field[1..])
            {
                if (value > (long.MaxValue >> 8)) return false;
                value = (value << 8) | b;
            }
            return true;
        }
        field = field.Trim(" \0"u8);
        foreach (byte b in field)
        {
            if (b is < (byte)'0' or > (byte)'7') return false;
            if (value > (long.MaxValue >> 3)) return false;
            value = (value << 3) | (long)(b - '0');
        }
        return true;
    }

    /// <summary>Writes <paramref name="value"/> as zero-padded octal followed by a NUL, as Go and GNU tar do.</summary>
    public static void WriteOctal(Span<byte> field, long value)
    {
        field.Clear();
        for (int i = field.Length - 2; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
    }

    public static void WriteString(Span<byte> field, string value)
    {
        field.Clear();
        Encoding.UTF8.GetBytes(value.AsSpan(), field);
    }

    /// <summary>
    /// Sum of the header bytes with the checksum field counted as spaces. Historic writers summed signed bytes,
    /// so readers accept either sum.
    /// </summary>
    public static (long Unsigned, long Signed) Checksums(ReadOnlySpan<byte> block)
    {
        long unsigned = 0, signed = 0;
        for (int i = 0; i < Size; i++)
        {
            byte b = i is >= ChecksumOffset and < ChecksumOffset + ChecksumLength ? (byte)' ' : block[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        return (unsigned, signed);
    }

    public static bool IsAllZero(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    public static bool FitsUstarString(string value, int fieldLength) => Ascii.IsValid(value) && value.Length <= fieldLength;
}
