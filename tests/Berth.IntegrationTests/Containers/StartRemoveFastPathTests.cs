using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>
/// The shim starts containers through runc's exec fifo and removes stopped ones without runc delete; --rm containers
/// get a volatile overlay. runc must see the same states as with its own start, and nothing may be left behind:
/// no runc state directory, no cgroup directory, no mount.
/// </summary>
public sealed class StartRemoveFastPathTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private string RuncRoot => Path.Combine(Daemon.ExecRoot, "runc");

    private async Task<string> RuncStatusAsync(string id)
    {
        var state = await Commands.RunAsync("runc", ["--root", RuncRoot, "state", id], new Dictionary<string, string>());
        Assert.True(state.ExitCode == 0, state.Stderr);
        using var doc = JsonDocument.Parse(state.Stdout);
        return doc.RootElement.GetProperty("status").GetString()!;
    }

    private static List<string> CgroupDirsOf(string id)
    {
        var found = new List<string>();
        foreach (var hierarchy in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            // cgroup v1: one hierarchy per controller (and unified, systemd); v2: the root itself holds the groups
            found.AddRange(Directory.EnumerateDirectories(hierarchy, id, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3 }));
        }
        found.AddRange(Directory.EnumerateDirectories("/sys/fs/cgroup", id, new EnumerationOptions { RecurseSubdirectories = false }));
        return found;
    }

    private static bool Mounted(string id) => File.ReadAllText("/proc/self/mountinfo").Contains(id, StringComparison.Ordinal);

    private void AssertNothingLeft(string id)
    {
        Assert.False(Directory.Exists(Path.Combine(RuncRoot, id)), "runc state directory left behind");
        Assert.Empty(CgroupDirsOf(id));
        Assert.False(Mounted(id), "a mount of the container is left behind");
    }

    [Fact]
    public async Task Runc_sees_a_started_container_as_running_through_exec_pause_and_removal()
    {
        string name = Unique("fast");
        string id = (await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300")).Stdout.Trim();
        Assert.Equal(64, id.Length);
        Assert.False(File.Exists(Path.Combine(RuncRoot, id, "exec.fifo")));
        Assert.Equal("running", await RuncStatusAsync(id));
        Assert.NotEmpty(CgroupDirsOf(id));

        Assert.Equal("hi\n", (await Daemon.DockerAsync("exec", name, "echo", "hi")).Stdout);
        Assert.Equal(0, (await Daemon.DockerAsync("pause", name)).ExitCode);
        Assert.Equal("paused", await RuncStatusAsync(id));
        Assert.Equal(0, (await Daemon.DockerAsync("unpause", name)).ExitCode);
        Assert.Equal("running", await RuncStatusAsync(id));

        Assert.Equal(0, (await Daemon.DockerAsync("rm", "-f", name)).ExitCode);
        AssertNothingLeft(id);
    }

    [Fact]
    public async Task A_stopped_container_starts_again_and_keeps_its_exit_codes()
    {
        string name = Unique("again");
        var run = await Daemon.DockerAsync("run", "--name", name, "busybox", "sh", "-c", "echo x >> /count; exit $(wc -l < /count)");
        Assert.Equal(1, run.ExitCode);
        string id = (await Daemon.DockerAsync("inspect", "-f", "{{.Id}}", name)).Stdout.Trim();
        Assert.False(Directory.Exists(Path.Combine(RuncRoot, id)));
        Assert.Empty(CgroupDirsOf(id));

        var second = await Daemon.DockerAsync("start", "-a", name);
        Assert.Equal(2, second.ExitCode);
        Assert.Equal("2", (await Daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", name)).Stdout.Trim());
        Assert.Equal(0, (await Daemon.DockerAsync("rm", name)).ExitCode);
        AssertNothingLeft(id);
    }

    [Fact]
    public async Task A_container_sharing_the_host_pid_namespace_is_still_fully_removed()
    {
        // runc delete kills what is left in such a container's cgroup: the shim leaves that container to runc.
        string name = Unique("hostpid");
        string id = (await Daemon.DockerAsync("run", "-d", "--pid", "host", "--name", name, "busybox", "sleep", "300")).Stdout.Trim();
        Assert.Equal(64, id.Length);
        Assert.Equal("running", await RuncStatusAsync(id));
        Assert.Equal(0, (await Daemon.DockerAsync("rm", "-f", name)).ExitCode);
        AssertNothingLeft(id);
    }

    [Fact]
    public async Task An_auto_removed_container_runs_on_a_volatile_overlay_and_leaves_nothing()
    {
        string cidFile = Path.Combine(Daemon.Root, Unique("cid"));
        var run = await Daemon.DockerAsync("run", "--rm", "--cidfile", cidFile, "busybox", "sh", "-c",
            "grep ' / ' /proc/self/mountinfo; echo data > /file; sync; cat /file");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("volatile", run.Stdout);
        Assert.EndsWith("data\n", run.Stdout);
        string id = File.ReadAllText(cidFile).Trim();
        Assert.Equal(64, id.Length);
        for (int i = 0; i < 50 && (await Daemon.DockerAsync("inspect", id)).ExitCode == 0; i++) await Task.Delay(100);
        Assert.NotEqual(0, (await Daemon.DockerAsync("inspect", id)).ExitCode);
        AssertNothingLeft(id);
        Assert.False(Directory.Exists(Path.Combine(Daemon.DataRoot, "containers", id)));
    }

    [Fact]
    public async Task A_start_that_fails_before_its_shim_is_configured_leaves_no_shim_behind()
    {
        string stopped = Unique("stopped");
        Assert.Equal(0, (await Daemon.DockerAsync("create", "--name", stopped, "busybox", "true")).ExitCode);
        string name = Unique("joiner");
        Assert.Equal(0, (await Daemon.DockerAsync("create", "--name", name, "--network", "container:" + stopped, "busybox", "true")).ExitCode);
        string id = (await Daemon.DockerAsync("inspect", "-f", "{{.Id}}", name)).Stdout.Trim();

        var start = await Daemon.DockerAsync("start", name);

        Assert.NotEqual(0, start.ExitCode);
        Assert.Contains("cannot join network of a non running container", start.Stderr);
        for (int i = 0; i < 100 && ShimsOf(id).Any(); i++) await Task.Delay(50);
        Assert.Empty(ShimsOf(id));
        AssertNothingLeft(id);
    }

    private static IEnumerable<int> ShimsOf(string id) => ProcessTable.WithCommandLineContaining("berth-shim", id);

    [Fact]
    public async Task Only_auto_removed_containers_are_volatile()
    {
        var run = await Daemon.DockerAsync("run", "--name", Unique("durable"), "busybox", "grep", " / ", "/proc/self/mountinfo");
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("volatile", run.Stdout);
    }
}
