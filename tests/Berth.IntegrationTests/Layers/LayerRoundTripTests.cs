using System.Text;
using Berth.Oci.Layers;
using Berth.Oci.Native;

namespace Berth.IntegrationTests.Layers;

/// <summary>Write a directory as a layer, apply it elsewhere: the trees must be identical (needs root).</summary>
public sealed class LayerRoundTripTests : IDisposable
{
    private readonly TempTree _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A tree with every kind of file and metadata a layer carries.</summary>
    private async Task<string> BuildRichTreeAsync()
    {
        string src = _temp.Sub("src");
        Directory.CreateDirectory(Path.Combine(src, "bin"));
        File.WriteAllText(Path.Combine(src, "bin/tool"), "#!/bin/sh\necho tool\n");
        PosixFiles.ChangeMode(Path.Combine(src, "bin/tool"), 0x9ed); // 04755
        File.WriteAllBytes(Path.Combine(src, "bin/ping"), [0x7f, (byte)'E', (byte)'L', (byte)'F']);
        // cap_setuid is bit 7: its byte is 0x80, which a UTF-8 round trip of the PAX record would destroy.
        await Shell.CheckAsync("setcap", "cap_setuid,cap_net_raw+ep", Path.Combine(src, "bin/ping"));

        Directory.CreateDirectory(Path.Combine(src, "tmp"));
        PosixFiles.ChangeMode(Path.Combine(src, "tmp"), 0x3ff); // 01777
        Directory.CreateDirectory(Path.Combine(src, "srv/shared"));
        PosixFiles.ChangeMode(Path.Combine(src, "srv/shared"), 0x5ed); // 02755
        PosixFiles.ChangeOwner(Path.Combine(src, "srv/shared"), 1234, 5678);
        File.WriteAllText(Path.Combine(src, "srv/shared/owned"), "mine");
        PosixFiles.ChangeOwner(Path.Combine(src, "srv/shared/owned"), 1234, 5678);
        PosixFiles.ChangeMode(Path.Combine(src, "srv/shared/owned"), 0x180);

        File.WriteAllText(Path.Combine(src, "srv/a"), "same inode");
        PosixFiles.CreateHardLink(Path.Combine(src, "srv/a"), Path.Combine(src, "srv/b"));
        PosixFiles.CreateHardLink(Path.Combine(src, "srv/a"), Path.Combine(src, "bin/c"));
        PosixFiles.CreateSymlink("/etc/passwd", Path.Combine(src, "srv/abs-link"));
        PosixFiles.CreateSymlink("../bin/tool", Path.Combine(src, "srv/rel-link"));
        PosixFiles.CreateSymlink("nowhere", Path.Combine(src, "srv/dangling"));
        PosixFiles.ChangeOwner(Path.Combine(src, "srv/dangling"), 42, 43);

        Directory.CreateDirectory(Path.Combine(src, "dev"));
        PosixFiles.MakeNode(Path.Combine(src, "dev/null"), FileKind.CharDevice, 0x1b6, 1, 3);
        PosixFiles.MakeNode(Path.Combine(src, "dev/loop9"), FileKind.BlockDevice, 0x1b0, 7, 9);
        PosixFiles.MakeNode(Path.Combine(src, "dev/fifo"), FileKind.Fifo, 0x1a4);

        string deep = Path.Combine(src, string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 8)));
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, "ünïcödé 名前.txt"), "deep");
        File.WriteAllText(Path.Combine(src, "xattrs"), "x");
        PosixFiles.SetXattr(Path.Combine(src, "xattrs"), "user.comment", Encoding.UTF8.GetBytes("hello"));
        PosixFiles.SetXattr(Path.Combine(src, "xattrs"), "trusted.binary", [0x00, 0x80, 0xff, 0x0a, 0x3d]);

        foreach (var entry in Directory.EnumerateFileSystemEntries(src, "*", new EnumerationOptions { RecurseSubdirectories = true }))
            PosixFiles.SetTimes(entry, 1_500_000_000);
        return src;
    }

    [Fact]
    public async Task WrittenDirectoryAppliesToAnIdenticalTree()
    {
        string src = await BuildRichTreeAsync();
        var tar = new MemoryStream();
        var written = await LayerWriter.WriteDirectoryAsync(src, tar, CancellationToken.None);

        string dst = _temp.Sub("dst");
        tar.Position = 0;
        var applied = await LayerApplier.ApplyAsync(tar, dst, CancellationToken.None);

        Assert.Equal(written, applied.DiffId);
        Assert.Equal(tar.Length, applied.UncompressedSize);
        Assert.Equal(TreeSnapshot.Take(src), TreeSnapshot.Take(dst));
        Assert.Contains("cap_setuid,cap_net_raw=ep", await Shell.CheckAsync("getcap", Path.Combine(dst, "bin/ping")));
    }

    [Fact]
    public async Task OutputIsDeterministic()
    {
        string src = await BuildRichTreeAsync();
        var first = new MemoryStream();
        var second = new MemoryStream();
        await LayerWriter.WriteDirectoryAsync(src, first, CancellationToken.None);
        await LayerWriter.WriteDirectoryAsync(src, second, CancellationToken.None);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public async Task GnuTarReadsOurLayersAndWeReadItsLayers()
    {
        string src = await BuildRichTreeAsync();
        string ours = Path.Combine(_temp.Path, "ours.tar");
        await using (var file = File.Create(ours))
            await LayerWriter.WriteDirectoryAsync(src, file, CancellationToken.None);

        string byGnu = _temp.Sub("by-gnu");
        await Shell.CheckAsync("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf", ours, "-C", byGnu);
        Assert.Equal(TreeSnapshot.Take(src), TreeSnapshot.Take(byGnu));

        string theirs = Path.Combine(_temp.Path, "theirs.tar");
        await Shell.CheckAsync("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-cf", theirs, "-C", src, ".");
        string fromGnu = _temp.Sub("from-gnu");
        await using (var file = File.OpenRead(theirs))
            await LayerApplier.ApplyAsync(file, fromGnu, CancellationToken.None);
        Assert.Equal(TreeSnapshot.Take(src), TreeSnapshot.Take(fromGnu));
    }
}
