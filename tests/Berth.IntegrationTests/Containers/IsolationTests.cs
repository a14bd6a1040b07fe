using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>Limits and privileges seen from inside the container: cgroups, OOM, pids, read-only root, capabilities.</summary>
public sealed class IsolationTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static bool CgroupV2 => File.Exists("/sys/fs/cgroup/cgroup.controllers");

    [Fact]
    public async Task Memory_limit_is_visible_in_the_containers_cgroup()
    {
        string file = CgroupV2 ? "/sys/fs/cgroup/memory.max" : "/sys/fs/cgroup/memory/memory.limit_in_bytes";
        var result = await Daemon.DockerAsync("run", "--rm", "-m", "32m", "busybox", "cat", file);
        Assert.Equal("33554432\n", result.Stdout);
    }

    [Fact]
    public async Task Oom_kill_is_reported()
    {
        string name = "oom-" + Guid.NewGuid().ToString("N")[..8];
        var run = await Daemon.DockerAsync("run", "--name", name, "-m", "8m", "--memory-swap", "8m", "busybox", "sh", "-c", "x=a; while true; do x=$x$x; done");
        Assert.Equal(137, run.ExitCode);
        var state = await Daemon.DockerAsync("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", name);
        Assert.Equal("true 137\n", state.Stdout);
        await Daemon.DockerAsync("rm", name);
    }

    [Fact]
    public async Task Pids_limit_is_enforced()
    {
        var result = await Daemon.DockerAsync("run", "--rm", "--pids-limit", "8", "busybox", "sh", "-c",
            "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 5 & done 2>/dev/null; echo started $(jobs -p | wc -l)");
        Assert.Matches(@"started [0-7]\n", result.Stdout);
    }

    [Fact]
    public async Task Read_only_root_with_a_writable_tmpfs()
    {
        var result = await Daemon.DockerAsync("run", "--rm", "--read-only", "--tmpfs", "/scratch", "busybox", "sh", "-c",
            "touch /x 2>/dev/null && echo root-writable; touch /scratch/y && echo tmpfs-writable");
        Assert.Equal("tmpfs-writable\n", result.Stdout);
    }

    [Fact]
    public async Task Capabilities_follow_cap_add_and_cap_drop()
    {
        var normal = await Daemon.DockerAsync("run", "--rm", "busybox", "grep", "CapEff", "/proc/self/status");
        Assert.Contains("00000000a80425fb", normal.Stdout);
        var dropped = await Daemon.DockerAsync("run", "--rm", "--cap-drop", "NET_RAW", "busybox", "grep", "CapEff", "/proc/self/status");
        Assert.Contains("00000000a80405fb", dropped.Stdout);
        var added = await Daemon.DockerAsync("run", "--rm", "--cap-add", "SYS_ADMIN", "busybox", "sh", "-c", "mkdir /m && mount -t tmpfs none /m && echo mounted");
        Assert.Equal("mounted\n", added.Stdout);
        var refused = await Daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", "mkdir /m && mount -t tmpfs none /m && echo mounted");
        Assert.Equal("", refused.Stdout);
    }

    [Fact]
    public async Task Bind_mounts_read_write_and_read_only()
    {
        string dir = Path.Combine(Daemon.Root, "bind-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "in"), "from host\n");
        var rw = await Daemon.DockerAsync("run", "--rm", "-v", $"{dir}:/data", "busybox", "sh", "-c", "cat /data/in; echo back > /data/out");
        Assert.Equal("from host\n", rw.Stdout);
        Assert.Equal("back\n", await File.ReadAllTextAsync(Path.Combine(dir, "out")));
        var ro = await Daemon.DockerAsync("run", "--rm", "-v", $"{dir}:/data:ro", "busybox", "sh", "-c", "echo x > /data/no 2>/dev/null || echo refused");
        Assert.Equal("refused\n", ro.Stdout);
    }
}
