using System.Text;
using Berth.IntegrationTests.Layers;
using Berth.Oci.Archives;
using Berth.Oci.Digests;
using Berth.Oci.Layers;
using Berth.Oci.Layers.Tar;
using Berth.Oci.Native;

namespace Berth.IntegrationTests.Archives;

/// <summary>Our archives load into dockerd 20.10, and its <c>docker save</c> output reads with our reader.</summary>
public sealed class ReferenceArchiveTests : IDisposable
{
    private readonly TempTree _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A busybox root file system as the reference's own busybox image is made (Debian's static busybox).</summary>
    private async Task<string> BusyboxRootAsync()
    {
        string root = _temp.Sub("rootfs");
        foreach (var dir in new[] { "bin", "etc", "root", "tmp" }) Directory.CreateDirectory(Path.Combine(root, dir));
        PosixFiles.ChangeMode(Path.Combine(root, "tmp"), 0x3ff);
        File.Copy("/bin/busybox", Path.Combine(root, "bin/busybox"));
        PosixFiles.ChangeMode(Path.Combine(root, "bin/busybox"), 0x1ed);
        foreach (var applet in (await Shell.CheckAsync("/bin/busybox", "--list")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (applet != "busybox") PosixFiles.CreateSymlink("busybox", Path.Combine(root, "bin", applet));
        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(root, "etc/group"), "root:x:0:\n");
        return root;
    }

    /// <summary>A second layer: adds /etc/motd and deletes /bin/vi with an OCI whiteout.</summary>
    private static async Task<byte[]> ChangesLayerAsync()
    {
        var tar = new MemoryStream();
        var writer = new TarStreamWriter(tar);
        await writer.WriteHeaderAsync(new TarHeader { Name = "bin/", Type = TarEntryType.Directory, Mode = 0x1ed }, CancellationToken.None);
        await writer.WriteHeaderAsync(new TarHeader { Name = "bin/.wh.vi", Type = TarEntryType.RegularFile, Mode = 0x180 }, CancellationToken.None);
        await writer.WriteHeaderAsync(new TarHeader { Name = "etc/", Type = TarEntryType.Directory, Mode = 0x1ed }, CancellationToken.None);
        byte[] motd = "made by berth\n"u8.ToArray();
        await writer.WriteHeaderAsync(new TarHeader { Name = "etc/motd", Type = TarEntryType.RegularFile, Mode = 0x1a4, Size = motd.Length }, CancellationToken.None);
        await writer.WriteDataAsync(motd, CancellationToken.None);
        await writer.FinishAsync(CancellationToken.None);
        return tar.ToArray();
    }

    [Fact]
    public async Task ArchiveWeWriteLoadsAndRunsInDockerd()
    {
        string layerFile = Path.Combine(_temp.Path, "base.tar");
        Digest baseDiffId;
        await using (var file = File.Create(layerFile))
            baseDiffId = await LayerWriter.WriteDirectoryAsync(await BusyboxRootAsync(), file, CancellationToken.None);
        byte[] changes = await ChangesLayerAsync();
        var changesDiffId = Digest.Of(changes);
        byte[] config = Encoding.UTF8.GetBytes(
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\","
            + "\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"sh\"]},"
            + $"\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{baseDiffId}\",\"{changesDiffId}\"]}},"
            + "\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"berth test\"},{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"berth test\"}]}");
        string tag = "berth-layers-it:" + Guid.NewGuid().ToString("N")[..12];

        string archive = Path.Combine(_temp.Path, "image.tar");
        await using (var output = File.Create(archive))
        {
            await DockerArchiveWriter.WriteAsync(output, [new ArchiveImageSource(config, [tag], [
                new ArchiveLayerSource(baseDiffId, _ => Task.FromResult<Stream>(File.OpenRead(layerFile))),
                new ArchiveLayerSource(changesDiffId, _ => Task.FromResult<Stream>(new MemoryStream(changes)), changes.Length),
            ])], CancellationToken.None);
        }

        try
        {
            Assert.Contains("Loaded image: " + tag, await ReferenceDocker.CheckAsync("load", "-i", archive));
            Assert.Equal("sha256:" + Digest.Of(config).Hex, (await ReferenceDocker.CheckAsync("image", "inspect", tag, "--format", "{{.Id}}")).Trim());
            string output = await ReferenceDocker.CheckAsync("run", "--rm", tag, "sh", "-c", "echo hi; cat /etc/motd; test -e /bin/vi || echo vi-gone");
            Assert.Equal("hi\nmade by berth\nvi-gone\n", output);
        }
        finally
        {
            await ReferenceDocker.RunAsync("rmi", "-f", tag);
        }
    }

    [Fact]
    public async Task DockerSaveOutputReadsWithCorrectConfigsLayersAndTags()
    {
        string tag = "berth-layers-it:" + Guid.NewGuid().ToString("N")[..12];
        string archive = Path.Combine(_temp.Path, "saved.tar");
        await ReferenceDocker.CheckAsync("tag", "busybox:latest", tag);
        try
        {
            await ReferenceDocker.CheckAsync("save", "-o", archive, "busybox:latest", tag);
        }
        finally
        {
            await ReferenceDocker.RunAsync("rmi", tag);
        }
        string imageId = (await ReferenceDocker.CheckAsync("image", "inspect", "busybox:latest", "--format", "{{.Id}}")).Trim();

        DockerArchive read;
        await using (var input = File.OpenRead(archive))
            read = await DockerArchiveReader.ReadAsync(input, _temp.Sub("scratch"), CancellationToken.None);

        var image = Assert.Single(read.Images);
        Assert.Equal(imageId, image.ConfigDigest.ToString());
        Assert.Equal(new[] { "busybox:latest", tag }.Order(StringComparer.Ordinal), image.RepoTags.Order(StringComparer.Ordinal));
        Assert.Equal(image.DiffIds.Count, image.LayerPaths.Count);
        for (int i = 0; i < image.LayerPaths.Count; i++)
        {
            await using var layer = File.OpenRead(image.LayerPaths[i]);
            var applied = await LayerApplier.ApplyAsync(layer, _temp.Sub($"layer{i}"), CancellationToken.None);
            Assert.Equal(image.DiffIds[i], applied.DiffId);
        }
        Assert.True(File.Exists(Path.Combine(_temp.Path, "layer0/bin/busybox")));
    }
}
