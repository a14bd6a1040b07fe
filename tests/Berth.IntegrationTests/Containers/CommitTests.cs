using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>docker diff and docker commit against berthd.</summary>
public sealed class CommitTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Diff_lists_additions_changes_and_deletions_but_not_the_mount_points()
    {
        string name = "diff-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("run", "--name", name, "busybox", "sh", "-c", "echo x > /new; rm /etc/group; echo y >> /etc/passwd; mkdir -p /a/b")).EnsureSuccess();

        var diff = await Daemon.DockerAsync("diff", name);

        Assert.Equal(["A /a", "A /a/b", "A /new", "C /etc", "C /etc/passwd", "D /etc/group"],
            diff.EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        var created = await Daemon.DockerAsync("create", "busybox", "true");
        var none = await Daemon.Http.GetStringAsync($"/v1.41/containers/{created.Stdout.Trim()}/changes");
        Assert.Equal("null", none.Trim());
        var missing = await Daemon.DockerAsync("diff", "no-such-container");
        Assert.Contains("No such container: no-such-container", missing.Stderr);
    }

    [Fact]
    public async Task The_init_layer_is_shared_yet_a_change_to_it_stays_in_its_container()
    {
        string name = "init-" + Guid.NewGuid().ToString("N")[..8];
        var first = await Daemon.DockerAsync("run", "--name", name, "busybox", "sh", "-c",
            "test -f /.dockerenv && readlink /etc/mtab && echo changed > /.dockerenv");
        Assert.Equal("/proc/mounts\n", first.EnsureSuccess().Stdout);

        var diff = await Daemon.DockerAsync("diff", name);
        var second = await Daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", "wc -c < /.dockerenv");

        Assert.Equal("C /.dockerenv\n", diff.EnsureSuccess().Stdout);
        Assert.Equal("0", second.EnsureSuccess().Stdout.Trim());
        string id = (await Daemon.DockerAsync("inspect", "-f", "{{.Id}}", name)).Stdout.Trim();
        Assert.False(Directory.Exists(Path.Combine(Daemon.DataRoot, "containers", id, "init")));
        Assert.True(File.Exists(Path.Combine(Daemon.DataRoot, "init-layer", ".dockerenv")));
    }

    [Fact]
    public async Task Commit_makes_a_runnable_image_with_the_changes_on_shared_layers()
    {
        string name = "commit-" + Guid.NewGuid().ToString("N")[..8];
        string image = "committed-" + Guid.NewGuid().ToString("N")[..8] + ":1";
        (await Daemon.DockerAsync("run", "--name", name, "busybox", "sh", "-c", "echo kept > /new")).EnsureSuccess();
        int layersBefore = LayerCount();

        var commit = await Daemon.DockerAsync("commit", "-a", "someone", "-m", "a message", "-c", "CMD [\"cat\", \"/new\"]", "-c", "ENV A=1", name, image);

        Assert.Matches("^sha256:[0-9a-f]{64}\n$", commit.EnsureSuccess().Stdout);
        Assert.Equal(layersBefore + 1, LayerCount());
        var run = await Daemon.DockerAsync("run", "--rm", image);
        Assert.Equal("kept\n", run.Stdout);

        var inspect = JsonDocument.Parse((await Daemon.DockerAsync("image", "inspect", image)).Stdout).RootElement[0];
        var baseImage = JsonDocument.Parse((await Daemon.DockerAsync("image", "inspect", "busybox")).Stdout).RootElement[0];
        Assert.Equal("someone", inspect.GetProperty("Author").GetString());
        Assert.Equal("a message", inspect.GetProperty("Comment").GetString());
        Assert.Equal(baseImage.GetProperty("Id").GetString(), inspect.GetProperty("Parent").GetString());
        Assert.Contains("A=1", inspect.GetProperty("Config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        var baseLayers = baseImage.GetProperty("RootFS").GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ToList();
        var layers = inspect.GetProperty("RootFS").GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Equal(baseLayers, layers.Take(baseLayers.Count));
        Assert.Equal(baseLayers.Count + 1, layers.Count);

        var history = await Daemon.DockerAsync("history", "--format", "{{.ID}} {{.Comment}}", image);
        var rows = history.EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("a message", rows[0]);
        Assert.StartsWith(baseImage.GetProperty("Id").GetString()!["sha256:".Length..][..12], rows[1]);
    }

    [Fact]
    public async Task Commit_errors_read_as_dockers()
    {
        var missing = await Daemon.DockerAsync("commit", "no-such-container", "x:1");
        Assert.Contains("No such container: no-such-container", missing.Stderr);
        string name = "commit-bad-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("create", "--name", name, "busybox")).EnsureSuccess();
        using var response = await Daemon.Http.PostAsync($"/v1.41/commit?container={name}&repo=BAD", null);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("must be lowercase", await response.Content.ReadAsStringAsync());
    }

    private int LayerCount() => Directory.GetDirectories(Path.Combine(Daemon.DataRoot, "layers")).Length;
}
