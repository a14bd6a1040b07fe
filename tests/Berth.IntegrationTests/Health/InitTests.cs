using System.Diagnostics;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Health;

/// <summary>--init: tini runs as PID 1 (/sbin/docker-init), forwards signals and reaps orphans, as with Docker.</summary>
public sealed class InitTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Docker_init_is_pid_1_and_the_command_its_child()
    {
        var ps = (await Daemon.DockerAsync("run", "--rm", "--init", "busybox", "ps", "-o", "pid,ppid,args")).EnsureSuccess();

        var lines = ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains(lines, l => l[0] == "1" && l[2] == "/sbin/docker-init -- ps -o pid,ppid,args");
        Assert.Contains(lines, l => l[1] == "1" && l[2] == "ps -o pid,ppid,args");
    }

    [Fact]
    public async Task Berth_cli_runs_under_the_init_too()
    {
        var cmdline = (await Daemon.BerthAsync("run", "--rm", "--init", "busybox", "cat", "/proc/1/cmdline")).EnsureSuccess().Stdout;

        Assert.Equal("/sbin/docker-init\0--\0cat\0/proc/1/cmdline\0", cmdline);
    }

    [Fact]
    public async Task Inspect_shows_the_command_and_the_init_flag_only()
    {
        string name = NewName("init-insp");
        (await Daemon.DockerAsync("create", "--init", "--name", name, "busybox", "sleep", "100")).EnsureSuccess();

        var inspect = (await Daemon.DockerAsync("inspect", "-f", "{{.Path}} {{json .Args}} {{json .HostConfig.Init}} {{json .Mounts}}", name)).Stdout.Trim();

        Assert.Equal("sleep [\"100\"] true []", inspect);
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task Stop_reaches_the_command_through_the_init()
    {
        string name = NewName("init-stop");
        (await Daemon.DockerAsync("run", "-d", "--init", "--name", name, "busybox", "sleep", "100")).EnsureSuccess();

        var clock = Stopwatch.StartNew();
        (await Daemon.DockerAsync("stop", name)).EnsureSuccess();
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stop took {clock.Elapsed}");
        Assert.Equal("143", (await Daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", name)).Stdout.Trim());
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task Orphans_are_reaped_under_init_and_left_as_zombies_without()
    {
        string withInit = NewName("init-reap");
        string withoutInit = NewName("noinit-reap");
        const string script = "(sleep 0.2 &); exec sleep 100";
        (await Daemon.DockerAsync("run", "-d", "--init", "--name", withInit, "busybox", "sh", "-c", script)).EnsureSuccess();
        (await Daemon.DockerAsync("run", "-d", "--name", withoutInit, "busybox", "sh", "-c", script)).EnsureSuccess();
        await Task.Delay(1200);

        var reaped = (await Daemon.DockerAsync("exec", withInit, "ps", "-o", "stat,args")).EnsureSuccess().Stdout;
        var zombie = (await Daemon.DockerAsync("exec", withoutInit, "ps", "-o", "stat,args")).EnsureSuccess().Stdout;

        Assert.DoesNotContain(reaped.Split('\n'), l => l.StartsWith('Z'));
        Assert.Contains(zombie.Split('\n'), l => l.StartsWith('Z'));
        await Daemon.DockerAsync("rm", "-f", withInit, withoutInit);
    }
}

/// <summary>daemon.json's "init": true (here the --init flag of berthd) makes every container run under the init.</summary>
public sealed class DaemonInitDefaultTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync(withBusybox: true, ["--init"]);

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task Containers_run_under_the_init_unless_they_say_otherwise()
    {
        var byDefault = (await _daemon.DockerAsync("run", "--rm", "busybox", "cat", "/proc/1/cmdline")).EnsureSuccess().Stdout;
        var optedOut = (await _daemon.DockerAsync("run", "--rm", "--init=false", "busybox", "cat", "/proc/1/cmdline")).EnsureSuccess().Stdout;

        Assert.Equal("/sbin/docker-init\0--\0cat\0/proc/1/cmdline\0", byDefault);
        Assert.Equal("cat\0/proc/1/cmdline\0", optedOut);
    }
}
