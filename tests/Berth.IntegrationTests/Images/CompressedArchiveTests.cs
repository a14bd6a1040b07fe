using System.Formats.Tar;
using System.Text;
using Berth.IntegrationTests.Build;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Images;

/// <summary>
/// xz and bzip2 archives wherever Docker takes a tar: docker import, docker load, a build context and ADD's
/// auto-extraction (the reference dockerd unpacks them all, and an import gives the plain tar's diff ID).
/// </summary>
public sealed class CompressedArchiveTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    [Theory]
    [InlineData("xz")]
    [InlineData("bzip2")]
    public async Task Import_of_a_compressed_rootfs_runs_and_has_the_plain_tars_layer(string compressor)
    {
        string archive = await CompressAsync(compressor, await BusyboxImage.TarPathAsync(), Path.Combine(Daemon.Root, Unique("rootfs") + ".tar"));
        string tag = Unique("imported-" + compressor) + ":1";

        var import = await Daemon.DockerAsync("import", archive, tag);

        Assert.Matches("^sha256:[0-9a-f]{64}\n$", import.EnsureSuccess().Stdout);
        var run = await Daemon.DockerAsync("run", "--rm", tag, "/bin/cat", "/etc/group");
        Assert.StartsWith("root:x:0:\n", run.EnsureSuccess().Stdout);
        // busybox:latest was imported from the same tar uncompressed: the layer is the tar, not its compressed form.
        Assert.Equal(await LayersOfAsync("busybox:latest"), await LayersOfAsync(tag));
    }

    [Theory]
    [InlineData("xz")]
    [InlineData("bzip2")]
    public async Task Load_of_a_compressed_saved_image_restores_it(string compressor)
    {
        string tag = Unique("saved-" + compressor) + ":1";
        (await Daemon.DockerAsync("tag", "busybox", tag)).EnsureSuccess();
        string tar = Path.Combine(Daemon.Root, Unique("saved") + ".tar");
        (await Daemon.DockerAsync("save", "-o", tar, tag)).EnsureSuccess();
        string archive = await CompressAsync(compressor, tar, tar);
        (await Daemon.DockerAsync("rmi", tag)).EnsureSuccess();

        var load = await Daemon.DockerAsync("load", "-i", archive);

        Assert.Contains("Loaded image: " + tag, load.EnsureSuccess().Stdout);
        Assert.Equal("ok\n", (await Daemon.DockerAsync("run", "--rm", tag, "echo", "ok")).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task ADD_unpacks_xz_and_bzip2_tars_and_copies_a_file_that_only_looks_compressed()
    {
        using var context = new BuildContextDirectory("""
            FROM busybox
            ADD rootfs.tar.xz /x/
            ADD rootfs.tar.bz2 /y/
            ADD notreally.xz /z/
            """).Write("notreally.xz", "plain text\n");
        await WriteCompressedTarAsync(Path.Combine(context.Path, "rootfs.tar.xz"), "xz", ("etc/app.conf", "from xz\n"), ("hello.txt", "hi\n"));
        await WriteCompressedTarAsync(Path.Combine(context.Path, "rootfs.tar.bz2"), "bzip2", ("etc/app.conf", "from bzip2\n"));
        string tag = Unique("add-compressed") + ":1";

        (await Daemon.DockerAsync("build", "-q", "-t", tag, context.Path)).EnsureSuccess();

        var run = await Daemon.DockerAsync("run", "--rm", tag, "cat", "/x/etc/app.conf", "/x/hello.txt", "/y/etc/app.conf", "/z/notreally.xz");
        Assert.Equal("from xz\nhi\nfrom bzip2\nplain text\n", run.EnsureSuccess().Stdout);
        var listing = await Daemon.DockerAsync("run", "--rm", tag, "ls", "/x", "/y");
        Assert.DoesNotContain("rootfs.tar", listing.EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task A_build_context_sent_as_an_xz_tar_is_unpacked()
    {
        string directory = Directory.CreateTempSubdirectory("berth-xz-context-").FullName;
        try
        {
            string archive = Path.Combine(directory, "context.tar.xz");
            await WriteCompressedTarAsync(archive, "xz",
                ("Dockerfile", "FROM busybox\nCOPY message.txt /message.txt\nCMD [\"cat\", \"/message.txt\"]\n"), ("message.txt", "from an xz context\n"));
            string tag = Unique("xz-context") + ":1";

            // docker build - sends an archive on stdin to the daemon as it is.
            var build = await Commands.RunAsync("/bin/sh", ["-c", $"'{BerthBinaries.DockerCli}' build -q -t {tag} - < '{archive}'"], Daemon.Env);

            build.EnsureSuccess();
            Assert.Equal("from an xz context\n", (await Daemon.DockerAsync("run", "--rm", tag)).EnsureSuccess().Stdout);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<string> LayersOfAsync(string image) =>
        (await Daemon.DockerAsync("image", "inspect", "-f", "{{json .RootFS.Layers}}", image)).EnsureSuccess().Stdout;

    /// <summary>Compresses <paramref name="input"/> with the program into <paramref name="output"/> plus its usual suffix.</summary>
    private static async Task<string> CompressAsync(string compressor, string input, string output)
    {
        string compressed = output + (compressor == "xz" ? ".xz" : ".bz2");
        (await Commands.RunAsync("/bin/sh", ["-c", $"{compressor} -c '{input}' > '{compressed}'"])).EnsureSuccess();
        return compressed;
    }

    private static async Task WriteCompressedTarAsync(string path, string compressor, params (string Name, string Content)[] files)
    {
        string tar = path + ".plain";
        await using (var stream = File.Create(tar))
        await using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            foreach (var (name, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = (UnixFileMode)0x1a4,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                };
                await writer.WriteEntryAsync(entry);
            }
        }
        (await Commands.RunAsync("/bin/sh", ["-c", $"{compressor} -c '{tar}' > '{path}'"])).EnsureSuccess();
        File.Delete(tar);
    }
}
