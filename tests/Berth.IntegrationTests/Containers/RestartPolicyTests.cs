using System.Diagnostics;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>Restart policies: Docker's back-off while the daemon runs, and what comes back after a daemon restart.</summary>
public sealed class RestartPolicyTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task On_failure_restarts_up_to_its_maximum_then_stays_exited()
    {
        string id = (await _daemon.DockerAsync("run", "-d", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 3")).EnsureSuccess().Stdout.Trim();

        await WaitUntilAsync(id, "{{.RestartCount}} {{.State.Status}}", "2 exited", TimeSpan.FromSeconds(15));
        await Task.Delay(1000);
        Assert.Equal("2 exited 3\n", (await _daemon.DockerAsync("inspect", "-f", "{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}", id)).Stdout);
    }

    [Fact]
    public async Task On_failure_leaves_a_clean_exit_alone_and_no_policy_never_restarts()
    {
        string clean = (await _daemon.DockerAsync("run", "-d", "--restart", "on-failure", "busybox", "true")).EnsureSuccess().Stdout.Trim();
        string none = (await _daemon.DockerAsync("run", "-d", "busybox", "sh", "-c", "exit 1")).EnsureSuccess().Stdout.Trim();
        await _daemon.DockerAsync("wait", clean);
        await _daemon.DockerAsync("wait", none);
        await Task.Delay(1000);
        Assert.Equal("0 exited\n", (await _daemon.DockerAsync("inspect", "-f", "{{.RestartCount}} {{.State.Status}}", clean)).Stdout);
        Assert.Equal("0 exited\n", (await _daemon.DockerAsync("inspect", "-f", "{{.RestartCount}} {{.State.Status}}", none)).Stdout);
    }

    [Fact]
    public async Task Force_removal_is_not_answered_by_the_restart_policy()
    {
        string fromRun = (await _daemon.DockerAsync("run", "-d", "--restart", "always", "busybox", "sleep", "600")).EnsureSuccess().Stdout.Trim();
        string updated = (await _daemon.DockerAsync("run", "-d", "busybox", "sleep", "600")).EnsureSuccess().Stdout.Trim();
        (await _daemon.DockerAsync("update", "--restart", "always", updated)).EnsureSuccess();

        foreach (var id in new[] { fromRun, updated })
        {
            var removed = await _daemon.DockerAsync("rm", "-f", id);
            Assert.True(removed.ExitCode == 0, removed.Stderr);
            Assert.Equal(1, (await _daemon.DockerAsync("inspect", id)).ExitCode);
        }
    }

    [Fact]
    public async Task Always_restarts_until_stopped_by_hand()
    {
        string id = (await _daemon.DockerAsync("run", "-d", "--restart", "always", "busybox", "sh", "-c", "sleep 0.2")).EnsureSuccess().Stdout.Trim();
        await WaitUntilAsync(id, "{{gt .RestartCount 2}}", "true", TimeSpan.FromSeconds(20));

        Assert.Equal(0, (await _daemon.DockerAsync("stop", "-t", "1", id)).ExitCode);
        string stopped = (await _daemon.DockerAsync("inspect", "-f", "{{.RestartCount}} {{.State.Status}}", id)).Stdout;
        await Task.Delay(1500);
        Assert.Equal(stopped, (await _daemon.DockerAsync("inspect", "-f", "{{.RestartCount}} {{.State.Status}}", id)).Stdout);
        Assert.EndsWith(" exited\n", stopped);
    }

    [Fact]
    public async Task After_a_simulated_reboot_always_and_unless_stopped_come_back()
    {
        string always = (await _daemon.DockerAsync("run", "-d", "--restart", "always", "busybox", "sleep", "600")).EnsureSuccess().Stdout.Trim();
        string unlessStopped = (await _daemon.DockerAsync("run", "-d", "--restart", "unless-stopped", "busybox", "sleep", "600")).EnsureSuccess().Stdout.Trim();
        string stoppedByHand = (await _daemon.DockerAsync("run", "-d", "--restart", "unless-stopped", "busybox", "sleep", "600")).EnsureSuccess().Stdout.Trim();
        string plain = (await _daemon.DockerAsync("run", "-d", "busybox", "sleep", "600")).EnsureSuccess().Stdout.Trim();
        (await _daemon.DockerAsync("stop", "-t", "0", stoppedByHand)).EnsureSuccess();
        var pids = new List<int>();
        foreach (var id in new[] { always, unlessStopped, plain })
            pids.Add(int.Parse((await _daemon.DockerAsync("inspect", "-f", "{{.State.Pid}}", id)).Stdout.Trim()));

        // The "reboot": no daemon, no shims, no container processes.
        await _daemon.KillAsync();
        await KillAsync(["pkill", "-9", "-f", "berth-shim " + _daemon.ExecRoot]);
        foreach (var pid in pids) await KillAsync(["kill", "-9", pid.ToString()]);
        await Task.Delay(500);
        await _daemon.LaunchAsync();

        await WaitUntilAsync(always, "{{.State.Status}}", "running", TimeSpan.FromSeconds(15));
        await WaitUntilAsync(unlessStopped, "{{.State.Status}}", "running", TimeSpan.FromSeconds(15));
        Assert.NotEqual(pids[0].ToString(), (await _daemon.DockerAsync("inspect", "-f", "{{.State.Pid}}", always)).Stdout.Trim());
        Assert.Equal("exited\n", (await _daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", stoppedByHand)).Stdout);
        Assert.Equal("exited\n", (await _daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", plain)).Stdout);
        var run = await _daemon.DockerAsync("run", "--rm", "busybox", "echo", "alive");
        Assert.Equal("alive\n", run.Stdout);
    }

    private async Task WaitUntilAsync(string id, string format, string expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = (await _daemon.DockerAsync("inspect", "-f", format, id)).Stdout.Trim();
            if (last == expected) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{id}: {format} stayed {last}, never {expected}");
    }

    private static async Task KillAsync(string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command.Skip(1)) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
    }
}
