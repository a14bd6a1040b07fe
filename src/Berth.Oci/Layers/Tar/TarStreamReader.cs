using System.Globalization;
using System.Text;
using Berth.Oci.Errors;

namespace Berth.Oci.Layers.Tar;

/// <summary>
/// Reads tar entries (ustar, PAX, GNU long names, old v7) from a forward-only stream.
/// System.Formats.Tar is not used because it decodes PAX record values as UTF-8 strings, which corrupts binary
/// xattrs such as <c>security.capability</c> (any capability bit 7, 15, 23 or 31 turns into U+FFFD), and image
/// layers carry those.
/// </summary>
public sealed class TarStreamReader(Stream stream)
{
    // Like Go's archive/tar: metadata records (PAX, GNU long names) larger than this are refused, not buffered.
    private const int MaxMetadataSize = 1 << 20;

    private readonly byte[] _block = new byte[TarBlock.Size];
    private long _remaining;
    private int _padding;
    private bool _ended;

    /// <summary>Data of the current entry; reading past its size returns end of stream.</summary>
    public Stream Data => field ??= new EntryDataStream(this);

    /// <summary>The next entry, or null at the end of the archive. Skips whatever data of the previous entry was not read.</summary>
    public async ValueTask<TarHeader?> NextAsync(CancellationToken cancellationToken)
    {
        if (_ended) return null;
        await SkipRestAsync(cancellationToken);

        Dictionary<string, byte[]>? pax = null;
        string? longName = null, longLink = null;
        while (true)
        {
            if (!await ReadBlockAsync(cancellationToken))
            {
                if (pax is not null || longName is not null || longLink is not null) throw UnexpectedEof();
                _ended = true;
                return null;
            }
            if (TarBlock.IsAllZero(_block))
            {
                // End of archive: a second zero block should follow; Go tolerates its absence, and so do we.
                if (await ReadBlockAsync(cancellationToken) && !TarBlock.IsAllZero(_block)) throw InvalidHeader();
                _ended = true;
                return null;
            }
            VerifyChecksum();
            char type = (char)_block[TarBlock.TypeOffset];
            long size = ReadNumber(TarBlock.SizeOffset, TarBlock.NumberLength12);
            switch (type)
            {
                case 'x':
                    foreach (var (key, value) in PaxRecords.Parse(await ReadMetadataAsync(size, cancellationToken)))
                        (pax ??= new(StringComparer.Ordinal))[key] = value;
                    continue;
                case 'g':
                    // Global records (e.g. git archive's comment) say nothing Docker or we apply.
                    await ReadMetadataAsync(size, cancellationToken);
                    continue;
                case 'L':
                    longName = TarBlock.ReadString(await ReadMetadataAsync(size, cancellationToken));
                    continue;
                case 'K':
                    longLink = TarBlock.ReadString(await ReadMetadataAsync(size, cancellationToken));
                    continue;
                case 'S':
                    throw Unsupported("GNU sparse files are not supported");
            }
            var header = BuildHeader(type, size, pax, longName, longLink);
            _remaining = header.Size;
            _padding = Padding(header.Size);
            return header;
        }
    }

    /// <summary>Copies the current entry's remaining data to <paramref name="destination"/>.</summary>
    public Task CopyDataToAsync(Stream destination, CancellationToken cancellationToken) =>
        Data.CopyToAsync(destination, 1 << 16, cancellationToken);

    internal static BerthException InvalidHeader() => BerthException.Invalid("Error processing tar file: archive/tar: invalid tar header");

    internal static BerthException UnexpectedEof() => BerthException.Invalid("Error processing tar file: unexpected EOF");

    private static BerthException Unsupported(string what) => BerthException.Invalid($"Error processing tar file: {what}");

    private TarHeader BuildHeader(char type, long size, Dictionary<string, byte[]>? pax, string? longName, string? longLink)
    {
        ReadOnlySpan<byte> b = _block;
        string name = TarBlock.ReadString(b.Slice(TarBlock.NameOffset, TarBlock.NameLength));
        bool ustar = b.Slice(TarBlock.MagicOffset, 6).SequenceEqual("ustar\0"u8);
        if (ustar)
        {
            string prefix = TarBlock.ReadString(b.Slice(TarBlock.PrefixOffset, TarBlock.PrefixLength));
            if (prefix.Length > 0) name = prefix + "/" + name;
        }
        name = longName ?? name;
        string linkName = longLink ?? TarBlock.ReadString(b.Slice(TarBlock.LinkNameOffset, TarBlock.NameLength));

        var entryType = type switch
        {
            '0' or '\0' or '7' => name.EndsWith('/') ? TarEntryType.Directory : TarEntryType.RegularFile,
            '1' => TarEntryType.HardLink,
            '2' => TarEntryType.Symlink,
            '3' => TarEntryType.CharDevice,
            '4' => TarEntryType.BlockDevice,
            '5' => TarEntryType.Directory,
            '6' => TarEntryType.Fifo,
            _ => throw Unsupported($"unhandled tar header type {(int)type} for \"{name}\""),
        };

        long uid = ReadNumber(TarBlock.UidOffset, TarBlock.IdLength);
        long gid = ReadNumber(TarBlock.GidOffset, TarBlock.IdLength);
        long mtime = ReadNumber(TarBlock.MTimeOffset, TarBlock.NumberLength12);
        uint nanos = 0;
        string userName = TarBlock.ReadString(b.Slice(TarBlock.UserNameOffset, TarBlock.OwnerNameLength));
        string groupName = TarBlock.ReadString(b.Slice(TarBlock.GroupNameOffset, TarBlock.OwnerNameLength));
        Dictionary<string, byte[]>? xattrs = null;
        if (pax is not null)
        {
            foreach (var (key, value) in pax)
            {
                switch (key)
                {
                    case "path": name = Encoding.UTF8.GetString(value); break;
                    case "linkpath": linkName = Encoding.UTF8.GetString(value); break;
                    case "size": size = PaxNumber(value); break;
                    case "uid": uid = PaxNumber(value); break;
                    case "gid": gid = PaxNumber(value); break;
                    case "uname": userName = Encoding.UTF8.GetString(value); break;
                    case "gname": groupName = Encoding.UTF8.GetString(value); break;
                    case "mtime": (mtime, nanos) = PaxTime(value); break;
                    default:
                        if (key.StartsWith(PaxRecords.XattrPrefix, StringComparison.Ordinal))
                            (xattrs ??= new(StringComparer.Ordinal))[key[PaxRecords.XattrPrefix.Length..]] = value;
                        else if (key.StartsWith("GNU.sparse.", StringComparison.Ordinal))
                            throw Unsupported("GNU sparse files are not supported");
                        break;
                }
            }
        }
        return new TarHeader
        {
            Name = name,
            Type = entryType,
            LinkName = linkName,
            Mode = (int)(ReadNumber(TarBlock.ModeOffset, TarBlock.IdLength) & 0xFFF),
            Uid = uid,
            Gid = gid,
            UserName = userName,
            GroupName = groupName,
            // As in Go's archive/tar, only regular files have data, whatever the size field of other types says.
            Size = entryType == TarEntryType.RegularFile ? size : 0,
            ModTimeSeconds = mtime,
            ModTimeNanoseconds = nanos,
            DevMajor = (uint)ReadNumber(TarBlock.DevMajorOffset, TarBlock.IdLength),
            DevMinor = (uint)ReadNumber(TarBlock.DevMinorOffset, TarBlock.IdLength),
            Xattrs = xattrs ?? TarHeader.EmptyXattrs,
        };
    }

    private long ReadNumber(int offset, int length)
    {
        // Device numbers of entries that are not devices are often blank or garbage in old archives.
        if (!TarBlock.TryReadNumber(_block.AsSpan(offset, length), out long value))
        {
            if (offset is TarBlock.DevMajorOffset or TarBlock.DevMinorOffset) return 0;
            throw InvalidHeader();
        }
        return value;
    }

    private static long PaxNumber(byte[] value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : throw InvalidHeader();

    private static (long Seconds, uint Nanoseconds) PaxTime(byte[] value)
    {
        string text = Encoding.ASCII.GetString(value);
        int dot = text.IndexOf('.');
        string whole = dot < 0 ? text : text[..dot];
        if (!long.TryParse(whole, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds)) throw InvalidHeader();
        uint nanos = 0;
        if (dot >= 0)
        {
            string fraction = (text[(dot + 1)..] + "000000000")[..9];
            if (!uint.TryParse(fraction, NumberStyles.None, CultureInfo.InvariantCulture, out nanos)) throw InvalidHeader();
            // "-1.5" is half a second before -1: count the nanoseconds forward from the whole second below it.
            if (whole.StartsWith('-') && nanos != 0) (seconds, nanos) = (seconds - 1, 1_000_000_000 - nanos);
        }
        return (seconds, nanos);
    }

    private void VerifyChecksum()
    {
        if (!TarBlock.TryReadNumber(_block.AsSpan(TarBlock.ChecksumOffset, TarBlock.ChecksumLength), out long stored)) throw InvalidHeader();
        var (unsigned, signed) = TarBlock.Checksums(_block);
        if (stored != unsigned && stored != signed) throw InvalidHeader();
    }

    /// <summary>Reads one header block; false at a clean end of stream, unexpected EOF within a block.</summary>
    private async ValueTask<bool> ReadBlockAsync(CancellationToken cancellationToken)
    {
        int read = await stream.ReadAtLeastAsync(_block, TarBlock.Size, throwOnEndOfStream: false, cancellationToken);
        if (read == 0) return false;
        if (read < TarBlock.Size) throw UnexpectedEof();
        return true;
    }

    private async ValueTask<byte[]> ReadMetadataAsync(long size, CancellationToken cancellationToken)
    {
        if (size > MaxMetadataSize) throw Unsupported($"tar metadata record of {size} bytes is too large");
        var data = new byte[size];
        await ReadExactAsync(data, cancellationToken);
        await SkipAsync(Padding(size), cancellationToken);
        return data;
    }

    private async ValueTask ReadExactAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken) < buffer.Length)
            throw UnexpectedEof();
    }

    private async ValueTask SkipRestAsync(CancellationToken cancellationToken)
    {
        await SkipAsync(_remaining, cancellationToken);
        _remaining = 0;
        await SkipAsync(_padding, cancellationToken);
        _padding = 0;
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        var scratch = count > 0 ? new byte[(int)Math.Min(count, 1 << 16)] : [];
        while (count > 0)
        {
            int read = await stream.ReadAsync(scratch.AsMemory(0, (int)Math.Min(count, scratch.Length)), cancellationToken);
            if (read == 0) throw UnexpectedEof();
            count -= read;
        }
    }

    private static int Padding(long size) => (int)((TarBlock.Size - size % TarBlock.Size) % TarBlock.Size);

    private async ValueTask<int> ReadDataAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_remaining == 0 || buffer.IsEmpty) return 0;
        int read = await stream.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken);
        if (read == 0) throw UnexpectedEof();
        _remaining -= read;
        return read;
    }

    private sealed class EntryDataStream(TarStreamReader reader) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            reader.ReadDataAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            reader.ReadDataAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) =>
            reader.ReadDataAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
