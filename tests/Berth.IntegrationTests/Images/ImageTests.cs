using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Images;

/// <summary>Local images through the docker CLI: list, tag, rmi rules, history, export/import, save/load.</summary>
public sealed class ImageTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..8]}";

    [Fact]
    public async Task Images_lists_busybox()
    {
        var result = await Daemon.DockerAsync("images", "--format", "{{.Repository}}:{{.Tag}}");
        Assert.Contains("busybox:latest", result.Stdout.Split('\n'));
    }

    [Fact]
    public async Task Tag_then_rmi_untags_first()
    {
        string tag = Unique("tagged") + ":v1";
        Assert.Equal(0, (await Daemon.DockerAsync("tag", "busybox", tag)).ExitCode);
        var rmi = await Daemon.DockerAsync("rmi", tag);
        Assert.Equal(0, rmi.ExitCode);
        Assert.Contains("Untagged: " + tag, rmi.Stdout);
        Assert.DoesNotContain("Deleted", rmi.Stdout);
        Assert.Equal(0, (await Daemon.DockerAsync("image", "inspect", "busybox")).ExitCode);
    }

    [Fact]
    public async Task Rmi_refuses_an_image_in_use_unless_forced()
    {
        string tag = Unique("inuse");
        await Daemon.DockerAsync("tag", "busybox", tag);
        string id = (await Daemon.DockerAsync("create", tag, "true")).Stdout.Trim();
        string imageId = (await Daemon.DockerAsync("image", "inspect", "-f", "{{.Id}}", tag)).Stdout.Trim();
        var refused = await Daemon.DockerAsync("rmi", imageId);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("conflict", refused.Stderr);
        await Daemon.DockerAsync("rm", id);
        await Daemon.DockerAsync("rmi", tag);
    }

    [Fact]
    public async Task Export_then_import_gives_a_runnable_image()
    {
        string container = (await Daemon.DockerAsync("run", "-d", "busybox", "sh", "-c", "echo exported > /marker")).Stdout.Trim();
        await Daemon.DockerAsync("wait", container);
        string tar = Path.Combine(Daemon.Root, "export.tar");
        Assert.Equal(0, (await Daemon.DockerAsync("export", "-o", tar, container)).ExitCode);
        string image = Unique("imported") + ":latest";
        var import = await Daemon.DockerAsync("import", "-c", "CMD [\"cat\", \"/marker\"]", tar, image);
        Assert.Equal(0, import.ExitCode);
        var run = await Daemon.DockerAsync("run", "--rm", image);
        Assert.Equal("exported\n", run.Stdout);
        await Daemon.DockerAsync("rm", container);
        await Daemon.DockerAsync("rmi", image);
    }

    [Fact]
    public async Task Save_then_load_restores_the_image()
    {
        string image = Unique("saved") + ":v2";
        await Daemon.DockerAsync("tag", "busybox", image);
        string tar = Path.Combine(Daemon.Root, "saved.tar");
        Assert.Equal(0, (await Daemon.DockerAsync("save", "-o", tar, image)).ExitCode);
        await Daemon.DockerAsync("rmi", image);
        var load = await Daemon.DockerAsync("load", "-i", tar);
        Assert.Equal(0, load.ExitCode);
        Assert.Contains("Loaded image: " + image, load.Stdout);
        Assert.Equal("ok\n", (await Daemon.DockerAsync("run", "--rm", image, "echo", "ok")).Stdout);
        await Daemon.DockerAsync("rmi", image);
    }

    [Fact]
    public async Task A_truncated_archive_is_refused_and_loads_nothing()
    {
        string image = Unique("trunc") + ":v1";
        await Daemon.DockerAsync("tag", "busybox", image);
        string tar = Path.Combine(Daemon.Root, "full.tar");
        await Daemon.DockerAsync("save", "-o", tar, image);
        await Daemon.DockerAsync("rmi", image);
        var bytes = await File.ReadAllBytesAsync(tar);
        string truncated = Path.Combine(Daemon.Root, "truncated.tar");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var load = await Daemon.DockerAsync("load", "-i", truncated);
        Assert.NotEqual(0, load.ExitCode);
        Assert.NotEqual(0, (await Daemon.DockerAsync("image", "inspect", image)).ExitCode);
    }

    [Fact]
    public async Task History_shows_the_import()
    {
        var history = await Daemon.DockerAsync("history", "--format", "{{.Comment}}", "busybox");
        Assert.Contains("Imported from -", history.Stdout);
    }
}
