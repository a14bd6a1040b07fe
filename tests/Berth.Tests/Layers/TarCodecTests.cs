using System.Text;
using Berth.Oci.Errors;
using Berth.Oci.Layers.Tar;
using SystemTar = System.Formats.Tar;

namespace Berth.Tests.Layers;

public sealed class TarCodecTests
{
    private static readonly string LongName = string.Join('/', Enumerable.Range(0, 40).Select(i => $"dir{i}")) + "/file";

    private static async Task<byte[]> WriteAsync(params (TarHeader Header, byte[]? Data)[] entries)
    {
        var output = new MemoryStream();
        var writer = new TarStreamWriter(output);
        foreach (var (header, data) in entries)
        {
            await writer.WriteHeaderAsync(header, CancellationToken.None);
            if (data is not null) await writer.WriteDataAsync(data, CancellationToken.None);
        }
        await writer.FinishAsync(CancellationToken.None);
        return output.ToArray();
    }

    private static async Task<List<(TarHeader Header, byte[] Data)>> ReadAsync(byte[] tar)
    {
        var reader = new TarStreamReader(new MemoryStream(tar));
        var entries = new List<(TarHeader, byte[])>();
        while (await reader.NextAsync(CancellationToken.None) is { } header)
        {
            var data = new MemoryStream();
            await reader.CopyDataToAsync(data, CancellationToken.None);
            entries.Add((header, data.ToArray()));
        }
        return entries;
    }

    [Fact]
    public async Task HeadersSurviveAWriteReadRoundTrip()
    {
        byte[] capability = [0x01, 0x00, 0x00, 0x02, 0x80, 0x20, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
        var headers = new[]
        {
            new TarHeader { Name = LongName, Type = TarEntryType.RegularFile, Mode = 0xded, Uid = 3_000_000, Gid = 7, Size = 3, ModTimeSeconds = 1_600_000_000,
                Xattrs = new Dictionary<string, byte[]> { ["security.capability"] = capability, ["user.empty"] = [] } },
            new TarHeader { Name = "ünïcödé/名前", Type = TarEntryType.Symlink, LinkName = LongName, Mode = 0x1ff, UserName = "a-very-long-user-name-beyond-32-bytes" },
            new TarHeader { Name = "hard", Type = TarEntryType.HardLink, LinkName = LongName },
            new TarHeader { Name = "dev/null", Type = TarEntryType.CharDevice, Mode = 0x1b6, DevMajor = 1, DevMinor = 3 },
            new TarHeader { Name = "dev/sda", Type = TarEntryType.BlockDevice, DevMajor = 8, DevMinor = 1_000_000 },
            new TarHeader { Name = "old", Type = TarEntryType.Fifo, ModTimeSeconds = -5, ModTimeNanoseconds = 250_000_000 },
            new TarHeader { Name = "dir/", Type = TarEntryType.Directory, Mode = 0x3ff, ModTimeSeconds = 5, ModTimeNanoseconds = 123 },
        };
        byte[] tar = await WriteAsync(headers.Select(h => (h, h.Size > 0 ? "abc"u8.ToArray() : null)).ToArray());

        var read = await ReadAsync(tar);
        Assert.Equal(headers.Length, read.Count);
        for (int i = 0; i < headers.Length; i++)
        {
            var (expected, actual) = (headers[i], read[i].Header);
            Assert.Equal(expected with { Xattrs = TarHeader.EmptyXattrs }, actual with { Xattrs = TarHeader.EmptyXattrs });
            Assert.Equal(expected.Xattrs.Keys.Order(), actual.Xattrs.Keys.Order());
            foreach (var (name, value) in expected.Xattrs) Assert.Equal(value, actual.Xattrs[name]);
        }
        Assert.Equal("abc"u8.ToArray(), read[0].Data);
    }

    [Fact]
    public async Task ShortEntriesNeedNoPaxHeader()
    {
        byte[] tar = await WriteAsync((new TarHeader { Name = "bin/sh", Type = TarEntryType.Symlink, LinkName = "busybox", Mode = 0x1ff }, null));
        Assert.Equal(512 + 1024, tar.Length);
    }

    [Theory]
    [InlineData(SystemTar.TarEntryFormat.V7)]
    [InlineData(SystemTar.TarEntryFormat.Ustar)]
    [InlineData(SystemTar.TarEntryFormat.Pax)]
    [InlineData(SystemTar.TarEntryFormat.Gnu)]
    public async Task ReadsWhatSystemFormatsTarWrites(SystemTar.TarEntryFormat format)
    {
        string name = format switch
        {
            SystemTar.TarEntryFormat.V7 => "short/name",
            // Ustar holds long names only as a 155-byte prefix plus a 100-byte name.
            SystemTar.TarEntryFormat.Ustar => "ustar/" + new string('u', 90) + "/" + new string('n', 90),
            _ => LongName,
        };
        var tar = new TestTar().Dir("short/").File(name, "content").Symlink("link", format is SystemTar.TarEntryFormat.V7 or SystemTar.TarEntryFormat.Ustar ? "t" : LongName).ToArray(format);

        var read = await ReadAsync(tar);
        Assert.Equal(3, read.Count);
        Assert.Equal(TarEntryType.Directory, read[0].Header.Type);
        Assert.Equal(name, read[1].Header.Name);
        Assert.Equal("content", Encoding.UTF8.GetString(read[1].Data));
        Assert.Equal(0x1a4, read[1].Header.Mode);
        Assert.Equal(new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(), read[1].Header.ModTimeSeconds);
        Assert.Equal(TarEntryType.Symlink, read[2].Header.Type);
    }

    [Fact]
    public async Task SystemFormatsTarReadsWhatWeWrite()
    {
        byte[] tar = await WriteAsync(
            (new TarHeader { Name = LongName, Type = TarEntryType.RegularFile, Mode = 0x1a4, Uid = 1000, Gid = 1000, Size = 5, ModTimeSeconds = 1_700_000_000 }, "hello"u8.ToArray()),
            (new TarHeader { Name = "l", Type = TarEntryType.Symlink, LinkName = LongName }, null),
            (new TarHeader { Name = "d/", Type = TarEntryType.Directory, Mode = 0x1ed }, null));

        using var reader = new SystemTar.TarReader(new MemoryStream(tar));
        var file = reader.GetNextEntry()!;
        Assert.Equal(LongName, file.Name);
        Assert.Equal(1000, file.Uid);
        Assert.Equal("hello", new StreamReader(file.DataStream!).ReadToEnd());
        Assert.Equal(1_700_000_000, file.ModificationTime.ToUnixTimeSeconds());
        var link = reader.GetNextEntry()!;
        Assert.Equal(LongName, link.LinkName);
        Assert.Equal(SystemTar.TarEntryType.Directory, reader.GetNextEntry()!.EntryType);
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public async Task TruncatedArchiveIsUnexpectedEof()
    {
        byte[] tar = new TestTar().File("f", new string('x', 2000)).ToArray();
        foreach (int length in new[] { 100, 1100, 2500 })
        {
            var error = await Assert.ThrowsAsync<BerthException>(() => ReadAsync(tar[..length]));
            Assert.Equal("Error processing tar file: unexpected EOF", error.Message);
        }
    }

    [Fact]
    public async Task CorruptHeaderIsInvalid()
    {
        byte[] tar = new TestTar().File("f", "x").ToArray(SystemTar.TarEntryFormat.Ustar);
        tar[0] ^= 0x20;
        var error = await Assert.ThrowsAsync<BerthException>(() => ReadAsync(tar));
        Assert.Equal("Error processing tar file: archive/tar: invalid tar header", error.Message);
    }

    [Fact]
    public async Task EndWithoutTrailerIsAccepted()
    {
        byte[] tar = new TestTar().File("f", "x").ToArray(SystemTar.TarEntryFormat.Ustar);
        Assert.Single(await ReadAsync(tar[..1024]));
    }

    [Fact]
    public async Task UnreadDataIsSkipped()
    {
        byte[] tar = new TestTar().File("a", new string('a', 1000)).File("b", "b").ToArray();
        var reader = new TarStreamReader(new MemoryStream(tar));
        Assert.Equal("a", (await reader.NextAsync(CancellationToken.None))!.Name);
        Assert.Equal("b", (await reader.NextAsync(CancellationToken.None))!.Name);
        Assert.Null(await reader.NextAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(TarEntryType.RegularFile, 0x1a4, "0100644")]
    [InlineData(TarEntryType.HardLink, 0x1a4, "0100644")]
    [InlineData(TarEntryType.Directory, 0xded, "0046755")]
    [InlineData(TarEntryType.Symlink, 0x1ff, "0120777")]
    [InlineData(TarEntryType.CharDevice, 0x1b6, "0020666")]
    [InlineData(TarEntryType.BlockDevice, 0x1b0, "0060660")]
    [InlineData(TarEntryType.Fifo, 0x1a4, "0010644")]
    public async Task ModeWordsCarryTheFileTypeBitsAsDockersDo(TarEntryType type, int mode, string expected)
    {
        byte[] tar = await WriteAsync((new TarHeader { Name = "x", Type = type, Mode = mode, LinkName = type is TarEntryType.HardLink or TarEntryType.Symlink ? "y" : "" }, null));
        Assert.Equal(expected, Encoding.ASCII.GetString(tar, 100, 7));
        Assert.Equal(mode, (await ReadAsync(tar))[0].Header.Mode);
    }

    [Fact]
    public void OwnerNamesTakeTheFirstNameOfAnIdAndSkipWhatIsNotAnEntry()
    {
        var names = OwnerNames.Parse(new StringReader("root:x:0:0::/:/bin/sh\nbroken\n:x:7:\ntoor:x:0:0::/:/bin/sh\napp:x:42:42::/:/bin/sh\n"));
        Assert.Equal(new Dictionary<long, string> { [0] = "root", [42] = "app" }, names);
        var owners = new OwnerNames(names, new Dictionary<long, string> { [5] = "tty" });
        Assert.Equal(("root", "tty", "", ""), (owners.User(0), owners.Group(5), owners.User(5), owners.Group(0)));
    }
}
