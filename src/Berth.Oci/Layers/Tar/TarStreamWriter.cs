using System.Globalization;
using System.Text;

namespace Berth.Oci.Layers.Tar;

/// <summary>
/// Writes tar entries as Go's archive/tar does for Docker: a ustar header, preceded by a PAX record block only when
/// something does not fit ustar (long or non-ASCII names, big ids or sizes, xattrs). Binary xattr values are written
/// byte for byte, which System.Formats.Tar cannot do (see <see cref="TarStreamReader"/>).
/// </summary>
public sealed class TarStreamWriter(Stream stream)
{
    private readonly byte[] _block = new byte[TarBlock.Size];
    private long _remaining;
    private int _padding;

    /// <summary>Writes the header of the next entry; a regular file's <see cref="TarHeader.Size"/> bytes of data must follow.</summary>
    public async ValueTask WriteHeaderAsync(TarHeader header, CancellationToken cancellationToken)
    {
        await EndEntryAsync(cancellationToken);
        var pax = PaxRecordsFor(header);
        if (pax.Count > 0)
        {
            FillBlock(PaxHeaderName(header.Name), 'x', mode: 0x1a4, uid: 0, gid: 0, size: pax.Count, mtime: 0, linkName: "", userName: "", groupName: "", 0, 0);
            await stream.WriteAsync(_block, cancellationToken);
            await stream.WriteAsync(pax.ToArray(), cancellationToken);
            await WriteZerosAsync(Padding(pax.Count), cancellationToken);
        }
        long size = header.Type == TarEntryType.RegularFile ? header.Size : 0;
        FillBlock(header.Name, TypeFlag(header.Type), header.Mode, header.Uid, header.Gid, size, header.ModTimeSeconds,
            header.LinkName, header.UserName, header.GroupName, header.DevMajor, header.DevMinor);
        await stream.WriteAsync(_block, cancellationToken);
        _remaining = size;
        _padding = Padding(size);
    }

    public async ValueTask WriteDataAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.Length > _remaining) throw new InvalidOperationException($"tar entry data exceeds its declared size by {data.Length - _remaining} bytes");
        await stream.WriteAsync(data, cancellationToken);
        _remaining -= data.Length;
    }

    /// <summary>Copies exactly the current entry's declared size from <paramref name="source"/>; a shorter source is an error.</summary>
    public async ValueTask CopyDataFromAsync(Stream source, string what, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Clamp(_remaining, 1, 1 << 16)];
        while (_remaining > 0)
        {
            int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, _remaining)), cancellationToken);
            if (read == 0) throw new IOException($"{what}: shrank while being archived ({_remaining} bytes missing)");
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            _remaining -= read;
        }
    }

    /// <summary>Ends the archive with two zero blocks and flushes.</summary>
    public async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        await EndEntryAsync(cancellationToken);
        await WriteZerosAsync(2 * TarBlock.Size, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private async ValueTask EndEntryAsync(CancellationToken cancellationToken)
    {
        if (_remaining != 0) throw new InvalidOperationException($"tar entry is missing {_remaining} bytes of data");
        await WriteZerosAsync(_padding, cancellationToken);
        _padding = 0;
    }

    private async ValueTask WriteZerosAsync(int count, CancellationToken cancellationToken)
    {
        Array.Clear(_block);
        while (count > 0)
        {
            int n = Math.Min(count, TarBlock.Size);
            await stream.WriteAsync(_block.AsMemory(0, n), cancellationToken);
            count -= n;
        }
    }

    private static List<byte> PaxRecordsFor(TarHeader h)
    {
        var records = new List<byte>();
        if (!TarBlock.FitsUstarString(h.Name, TarBlock.NameLength) && SplitUstarName(h.Name) is null)
            PaxRecords.Append(records, "path", h.Name);
        if (!TarBlock.FitsUstarString(h.LinkName, TarBlock.NameLength)) PaxRecords.Append(records, "linkpath", h.LinkName);
        if (h.Type == TarEntryType.RegularFile && h.Size > TarBlock.MaxOctal(TarBlock.NumberLength12)) PaxRecords.Append(records, "size", Decimal(h.Size));
        if (h.Uid is < 0 or > 0x1FFFFF) PaxRecords.Append(records, "uid", Decimal(h.Uid));
        if (h.Gid is < 0 or > 0x1FFFFF) PaxRecords.Append(records, "gid", Decimal(h.Gid));
        if (!TarBlock.FitsUstarString(h.UserName, TarBlock.OwnerNameLength)) PaxRecords.Append(records, "uname", h.UserName);
        if (!TarBlock.FitsUstarString(h.GroupName, TarBlock.OwnerNameLength)) PaxRecords.Append(records, "gname", h.GroupName);
        if (h.ModTimeNanoseconds != 0 || h.ModTimeSeconds < 0 || h.ModTimeSeconds > TarBlock.MaxOctal(TarBlock.NumberLength12))
            PaxRecords.Append(records, "mtime", PaxTime(h.ModTimeSeconds, h.ModTimeNanoseconds));
        foreach (var (name, value) in h.Xattrs.OrderBy(x => x.Key, StringComparer.Ordinal))
            PaxRecords.Append(records, PaxRecords.XattrPrefix + name, value);
        return records;
    }

    private void FillBlock(string name, char type, int mode, long uid, long gid, long size, long mtime,
        string linkName, string userName, string groupName, uint devMajor, uint devMinor)
    {
        var b = _block.AsSpan();
        b.Clear();
        string prefix = "";
        if (!TarBlock.FitsUstarString(name, TarBlock.NameLength))
            (prefix, name) = SplitUstarName(name) ?? ("", Truncate(name, TarBlock.NameLength));
        TarBlock.WriteString(b.Slice(TarBlock.NameOffset, TarBlock.NameLength), name);
        TarBlock.WriteOctal(b.Slice(TarBlock.ModeOffset, TarBlock.IdLength), (mode & 0xFFF) | FileTypeBits(type));
        TarBlock.WriteOctal(b.Slice(TarBlock.UidOffset, TarBlock.IdLength), uid is >= 0 and <= 0x1FFFFF ? uid : 0);
        TarBlock.WriteOctal(b.Slice(TarBlock.GidOffset, TarBlock.IdLength), gid is >= 0 and <= 0x1FFFFF ? gid : 0);
        long maxOctal = TarBlock.MaxOctal(TarBlock.NumberLength12);
        TarBlock.WriteOctal(b.Slice(TarBlock.SizeOffset, TarBlock.NumberLength12), size <= maxOctal ? size : 0);
        TarBlock.WriteOctal(b.Slice(TarBlock.MTimeOffset, TarBlock.NumberLength12), mtime is >= 0 && mtime <= maxOctal ? mtime : 0);
        b[TarBlock.TypeOffset] = (byte)type;
        TarBlock.WriteString(b.Slice(TarBlock.LinkNameOffset, TarBlock.NameLength), Truncate(linkName, TarBlock.NameLength));
        "ustar\0"u8.CopyTo(b[TarBlock.MagicOffset..]);
        "00"u8.CopyTo(b[(TarBlock.MagicOffset + 6)..]);
        TarBlock.WriteString(b.Slice(TarBlock.UserNameOffset, TarBlock.OwnerNameLength), Truncate(userName, TarBlock.OwnerNameLength));
        TarBlock.WriteString(b.Slice(TarBlock.GroupNameOffset, TarBlock.OwnerNameLength), Truncate(groupName, TarBlock.OwnerNameLength));
        TarBlock.WriteOctal(b.Slice(TarBlock.DevMajorOffset, TarBlock.IdLength), devMajor);
        TarBlock.WriteOctal(b.Slice(TarBlock.DevMinorOffset, TarBlock.IdLength), devMinor);
        TarBlock.WriteString(b.Slice(TarBlock.PrefixOffset, TarBlock.PrefixLength), prefix);
        // The checksum field: six octal digits, NUL, space.
        TarBlock.WriteOctal(b.Slice(TarBlock.ChecksumOffset, 7), TarBlock.Checksums(b).Unsigned);
        b[TarBlock.ChecksumOffset + 7] = (byte)' ';
    }

    /// <summary>Splits a long ASCII name at a slash into ustar's 155-byte prefix and 100-byte name, if possible.</summary>
    private static (string Prefix, string Name)? SplitUstarName(string name)
    {
        if (!Ascii.IsValid(name) || name.Length > TarBlock.PrefixLength + 1 + TarBlock.NameLength) return null;
        for (int i = name.Length - TarBlock.NameLength - 1; i <= TarBlock.PrefixLength && i < name.Length - 1; i++)
            if (i > 0 && name[i] == '/') return (name[..i], name[(i + 1)..]);
        return null;
    }

    /// <summary>A fallback name for readers that ignore PAX: ASCII, within the field (Go does the same).</summary>
    private static string Truncate(string value, int bytes)
    {
        var ascii = new StringBuilder(Math.Min(value.Length, bytes));
        foreach (char c in value)
        {
            if (ascii.Length == bytes) break;
            ascii.Append(char.IsAscii(c) ? c : '_');
        }
        return ascii.ToString();
    }

    private static string PaxHeaderName(string name)
    {
        string trimmed = name.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        string dir = slash < 0 ? "" : trimmed[..(slash + 1)];
        return Truncate(dir + "PaxHeaders.0/" + trimmed[(slash + 1)..], TarBlock.NameLength);
    }

    /// <summary>
    /// The stat(2) file-type bits Docker puts back into the mode field (moby's fillGo18FileTypeBits: Go stopped
    /// writing them in 1.9 and Docker kept them so that layer digests stay stable), so Berth's tars carry the same
    /// mode words as dockerd's: 0100644 for a regular file, 040755 for a directory.
    /// </summary>
    private static int FileTypeBits(char typeFlag) => typeFlag switch
    {
        '0' or '1' or '7' => 0x8000,
        '5' => 0x4000,
        '2' => 0xA000,
        '3' => 0x2000,
        '4' => 0x6000,
        '6' => 0x1000,
        _ => 0,
    };

    private static char TypeFlag(TarEntryType type) => type switch
    {
        TarEntryType.RegularFile => '0',
        TarEntryType.HardLink => '1',
        TarEntryType.Symlink => '2',
        TarEntryType.CharDevice => '3',
        TarEntryType.BlockDevice => '4',
        TarEntryType.Directory => '5',
        TarEntryType.Fifo => '6',
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static string Decimal(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string PaxTime(long seconds, uint nanoseconds)
    {
        if (nanoseconds == 0) return Decimal(seconds);
        // Negative times with a fraction are written as "-(s).(1e9-ns)" counted back from zero.
        if (seconds < 0)
            return "-" + Decimal(-(seconds + 1)) + "." + (1_000_000_000 - nanoseconds).ToString("D9", CultureInfo.InvariantCulture);
        return Decimal(seconds) + "." + nanoseconds.ToString("D9", CultureInfo.InvariantCulture);
    }

    private static int Padding(long size) => (int)((TarBlock.Size - size % TarBlock.Size) % TarBlock.Size);
}
