using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>
/// --pid container:NAME joins a running container's PID namespace; --ipc container:NAME is checked as dockerd checks it,
/// then refused as not implemented (berthd cannot share the donor's /dev/shm yet); --ipc none has no /dev/shm.
/// </summary>
public sealed class JoinedNamespaceTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_container_sees_the_processes_of_the_container_whose_pid_namespace_it_joins()
    {
        string donor = Unique("pid-donor");
        (await Daemon.DockerAsync("run", "-d", "--name", donor, "busybox", "sleep", "1000")).EnsureSuccess();
        var ps = await Daemon.DockerAsync("run", "--rm", "--pid", $"container:{donor}", "busybox", "ps", "-o", "pid,args");
        Assert.Contains("1 sleep 1000", ps.EnsureSuccess().Stdout);
        var berth = await Daemon.BerthAsync("run", "--rm", "--pid", $"container:{donor}", "busybox", "cat", "/proc/1/cmdline");
        Assert.Equal("sleep\01000\0", berth.EnsureSuccess().Stdout);
        (await Daemon.DockerAsync("stop", "-t", "0", donor)).EnsureSuccess();
        var stopped = await Daemon.DockerAsync("run", "--rm", "--pid", $"container:{donor}", "busybox", "true");
        Assert.Contains("is not running", stopped.Stderr);
        await Daemon.DockerAsync("rm", "-f", donor);
        var missing = await Daemon.DockerAsync("create", "--pid", "container:nosuchdonor", "busybox");
        Assert.Contains("No such container: nosuchdonor", missing.Stderr);
    }

    [Fact]
    public async Task Ipc_container_mode_is_checked_as_dockerd_checks_it_and_then_refused()
    {
        string shareable = Unique("ipc-shareable"), privateOne = Unique("ipc-private");
        (await Daemon.DockerAsync("run", "-d", "--name", shareable, "--ipc", "shareable", "busybox", "sh", "-c",
            "echo from-donor > /dev/shm/mark; exec sleep 1000")).EnsureSuccess();
        (await Daemon.DockerAsync("run", "-d", "--name", privateOne, "busybox", "sleep", "1000")).EnsureSuccess();
        var joined = await Daemon.DockerAsync("run", "--rm", "--ipc", $"container:{shareable}", "busybox", "true");
        Assert.Contains("joining another container's IPC namespace is not supported by berthd yet", joined.Stderr);
        var refused = await Daemon.DockerAsync("run", "--rm", "--ipc", $"container:{privateOne}", "busybox", "true");
        Assert.Contains("non-shareable IPC (hint: use IpcMode:shareable for the donor container)", refused.Stderr);
        var none = await Daemon.DockerAsync("run", "--rm", "--ipc", "none", "busybox", "sh", "-c", "grep -c ' /dev/shm ' /proc/mounts || true");
        Assert.Equal("0\n", none.EnsureSuccess().Stdout);
        await Daemon.DockerAsync("rm", "-f", shareable, privateOne);
    }

    [Fact]
    public async Task Unknown_runtimes_and_isolations_are_refused_at_create()
    {
        Assert.Contains("Unknown runtime specified nosuch", (await Daemon.DockerAsync("create", "--runtime", "nosuch", "busybox")).Stderr);
        Assert.Contains("Invalid isolation: \"hyperv\" - linux only supports 'default'",
            (await Daemon.DockerAsync("create", "--isolation", "hyperv", "busybox")).Stderr);
        string ok = (await Daemon.DockerAsync("create", "--runtime", "runc", "--isolation", "default", "busybox")).EnsureSuccess().Stdout.Trim();
        await Daemon.DockerAsync("rm", ok);
    }
}
