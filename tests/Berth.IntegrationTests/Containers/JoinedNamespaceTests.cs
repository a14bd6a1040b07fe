using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>
/// --pid container:NAME joins a running container's PID namespace; --ipc container:NAME, checked as dockerd checks it,
/// joins a shareable container's IPC namespace and /dev/shm; --ipc none has no /dev/shm.
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
    public async Task A_container_joining_a_shareable_containers_ipc_shares_its_namespace_and_dev_shm()
    {
        string shareable = Unique("ipc-shareable"), privateOne = Unique("ipc-private");
        string donorId = (await Daemon.DockerAsync("run", "-d", "--name", shareable, "--ipc", "shareable", "--shm-size", "8m", "busybox", "sh", "-c",
            "echo from-donor > /dev/shm/mark; exec sleep 1000")).EnsureSuccess().Stdout.Trim();
        (await Daemon.DockerAsync("run", "-d", "--name", privateOne, "busybox", "sleep", "1000")).EnsureSuccess();
        string donorIpc = (await Daemon.DockerAsync("exec", shareable, "readlink", "/proc/self/ns/ipc")).EnsureSuccess().Stdout;
        var joined = await Daemon.DockerAsync("run", "--rm", "--ipc", $"container:{shareable}", "busybox", "sh", "-c",
            "readlink /proc/self/ns/ipc; cat /dev/shm/mark; echo from-joiner > /dev/shm/back; df -k /dev/shm | tail -1");
        string[] lines = joined.EnsureSuccess().Stdout.Split('\n');
        Assert.Equal(donorIpc.Trim(), lines[0]);
        Assert.Equal("from-donor", lines[1]);
        Assert.Contains(" 8192 ", lines[2]);
        Assert.Equal("from-joiner\n", (await Daemon.BerthAsync("exec", shareable, "cat", "/dev/shm/back")).EnsureSuccess().Stdout);
        var berth = await Daemon.BerthAsync("run", "--rm", "--ipc", $"container:{shareable}", "busybox", "cat", "/dev/shm/mark");
        Assert.Equal("from-donor\n", berth.EnsureSuccess().Stdout);
        var refused = await Daemon.DockerAsync("run", "--rm", "--ipc", $"container:{privateOne}", "busybox", "true");
        Assert.Contains("non-shareable IPC (hint: use IpcMode:shareable for the donor container)", refused.Stderr);
        var none = await Daemon.DockerAsync("run", "--rm", "--ipc", "none", "busybox", "sh", "-c", "grep -c ' /dev/shm ' /proc/mounts || true");
        Assert.Equal("0\n", none.EnsureSuccess().Stdout);
        await Daemon.DockerAsync("rm", "-f", shareable, privateOne);
        // The donor's /dev/shm, mounted on the host, goes with it.
        Assert.DoesNotContain(donorId + "/shm", await File.ReadAllTextAsync("/proc/self/mountinfo"));
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
