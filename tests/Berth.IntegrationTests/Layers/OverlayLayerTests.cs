using Berth.Oci.Layers;
using Berth.Oci.Layers.Tar;
using Berth.Oci.Native;

namespace Berth.IntegrationTests.Layers;

/// <summary>
/// Layers on real overlayfs: a container's changes (its upper dir) become a layer with OCI whiteouts, and applying
/// that layer gives back overlay whiteouts that hide the same files (needs root).
/// </summary>
public sealed class OverlayLayerTests : IDisposable
{
    private readonly TempTree _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<string> ImageLayerAsync()
    {
        string lower = _temp.Sub("lower");
        var tar = new MemoryStream();
        var writer = new TarStreamWriter(tar);
        foreach (var (name, type, content) in new (string, TarEntryType, string)[]
        {
            ("bin/", TarEntryType.Directory, ""), ("bin/a", TarEntryType.RegularFile, "a"), ("bin/b", TarEntryType.RegularFile, "b"),
            ("etc/", TarEntryType.Directory, ""), ("etc/passwd", TarEntryType.RegularFile, "root:x:0:0::/root:/bin/sh\n"),
            ("tmp/", TarEntryType.Directory, ""), ("tmp/x", TarEntryType.RegularFile, "x"), ("tmp/sub/", TarEntryType.Directory, ""),
            ("tmp/sub/y", TarEntryType.RegularFile, "y"), ("keep/", TarEntryType.Directory, ""), ("keep/k", TarEntryType.RegularFile, "k"),
        })
        {
            await writer.WriteHeaderAsync(new TarHeader { Name = name, Type = type, Mode = type == TarEntryType.Directory ? 0x1ed : 0x1a4, Size = content.Length, ModTimeSeconds = 1_500_000_000 }, CancellationToken.None);
            if (content.Length > 0) await writer.WriteDataAsync(System.Text.Encoding.UTF8.GetBytes(content), CancellationToken.None);
        }
        await writer.FinishAsync(CancellationToken.None);
        tar.Position = 0;
        await LayerApplier.ApplyAsync(tar, lower, CancellationToken.None);
        return lower;
    }

    private async Task<string> MountAsync(string name, string lowerDirs, string? upper = null)
    {
        string merged = _temp.Sub(name);
        string options = "lowerdir=" + lowerDirs;
        if (upper is not null) options += $",upperdir={upper},workdir={_temp.Sub(name + "-work")}";
        await Shell.CheckAsync("mount", "-t", "overlay", "overlay", "-o", options, merged);
        return merged;
    }

    /// <summary>The changes a container makes: delete a file, replace a directory, modify, add, hard link.</summary>
    private async Task<string> ContainerUpperAsync(string lower)
    {
        string upper = _temp.Sub("upper");
        string merged = await MountAsync("container", lower, upper);
        File.Delete(Path.Combine(merged, "bin/a"));
        Directory.Delete(Path.Combine(merged, "tmp"), recursive: true);
        Directory.CreateDirectory(Path.Combine(merged, "tmp"));
        File.WriteAllText(Path.Combine(merged, "tmp/z"), "z");
        File.AppendAllText(Path.Combine(merged, "etc/passwd"), "app:x:1000:1000::/:/bin/sh\n");
        Directory.CreateDirectory(Path.Combine(merged, "new/sub"));
        File.WriteAllText(Path.Combine(merged, "new/sub/f"), "f");
        PosixFiles.CreateHardLink(Path.Combine(merged, "new/sub/f"), Path.Combine(merged, "new/hl"));
        await Shell.CheckAsync("umount", merged);
        return upper;
    }

    [Fact]
    public async Task ChangesAreListedAsDockerDiffShowsThem()
    {
        string lower = await ImageLayerAsync();
        string upper = await ContainerUpperAsync(lower);

        var changes = OverlayChanges.List(upper, path => PosixFiles.TryLstat(lower + path) is not null).ToList();

        Assert.Equal(
        [
            ("/bin", ChangeKind.Modified), ("/bin/a", ChangeKind.Deleted),
            ("/etc", ChangeKind.Modified), ("/etc/passwd", ChangeKind.Modified),
            ("/new", ChangeKind.Added), ("/new/hl", ChangeKind.Added), ("/new/sub", ChangeKind.Added), ("/new/sub/f", ChangeKind.Added),
            ("/tmp", ChangeKind.Modified), ("/tmp/z", ChangeKind.Added),
        ], changes);
    }

    [Fact]
    public async Task OverlayDiffUsesOciWhiteoutsAndReappliesToTheSameView()
    {
        string lower = await ImageLayerAsync();
        string upper = await ContainerUpperAsync(lower);
        string expectedView = await MountAsync("expected", $"{upper}:{lower}");

        var diff = new MemoryStream();
        var diffId = await LayerWriter.WriteOverlayDiffAsync(upper, diff, CancellationToken.None);

        diff.Position = 0;
        var entries = new List<TarHeader>();
        var reader = new TarStreamReader(diff);
        while (await reader.NextAsync(CancellationToken.None) is { } header) entries.Add(header);
        Assert.Equal(
            ["bin/", "bin/.wh.a", "etc/", "etc/passwd", "new/", "new/hl", "new/sub/", "new/sub/f", "tmp/", "tmp/.wh..wh..opq", "tmp/z"],
            entries.Select(e => e.Name));
        Assert.Equal(TarEntryType.HardLink, entries.Single(e => e.Name == "new/sub/f").Type);
        Assert.Equal("new/hl", entries.Single(e => e.Name == "new/sub/f").LinkName);
        Assert.All(entries, e => Assert.DoesNotContain(e.Xattrs.Keys, k => k.StartsWith("trusted.overlay.")));

        string layer = _temp.Sub("committed");
        diff.Position = 0;
        var applied = await LayerApplier.ApplyAsync(diff, layer, CancellationToken.None);
        Assert.Equal(diffId, applied.DiffId);
        Assert.True(PosixFiles.Lstat(Path.Combine(layer, "bin/a")).IsWhiteout);
        Assert.Equal("y"u8.ToArray(), PosixFiles.GetXattr(Path.Combine(layer, "tmp"), Whiteouts.OpaqueXattr));

        string actualView = await MountAsync("actual", $"{layer}:{lower}");
        Assert.Equal(TreeSnapshot.Take(expectedView, withTimes: false), TreeSnapshot.Take(actualView, withTimes: false));
        Assert.False(File.Exists(Path.Combine(actualView, "bin/a")));
        Assert.False(File.Exists(Path.Combine(actualView, "tmp/x")));
        Assert.Equal("z", File.ReadAllText(Path.Combine(actualView, "tmp/z")));
    }
}
