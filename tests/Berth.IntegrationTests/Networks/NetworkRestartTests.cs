using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>berthd killed with SIGKILL: running containers keep their addresses, names and published ports.</summary>
public sealed class NetworkRestartTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task A_running_container_stays_reachable_after_the_daemon_is_killed()
    {
        (await _daemon.DockerAsync("network", "create", "kept")).EnsureSuccess();
        (await _daemon.DockerAsync("run", "-d", "--name", "server", "--network", "kept", "-p", "127.0.0.1::80",
            "busybox", "sh", "-c", "mkdir -p /www && echo survivor > /www/index.html && exec httpd -f -p 80 -h /www")).EnsureSuccess();
        string ip = (await _daemon.DockerAsync("inspect", "-f", "{{(index .NetworkSettings.Networks \"kept\").IPAddress}}", "server")).EnsureSuccess().Stdout.Trim();
        int port = int.Parse((await _daemon.DockerAsync("port", "server", "80")).EnsureSuccess().Stdout.Trim().Split(':')[1]);
        Assert.Equal("survivor\n", await NetworkDaemonTests.FetchAsync(port));

        await _daemon.KillAsync();
        await _daemon.LaunchAsync();

        Assert.Equal("survivor\n", await NetworkDaemonTests.FetchAsync(port));
        var byName = await _daemon.DockerAsync("run", "--rm", "--network", "kept", "busybox", "sh", "-c", "timeout 5 wget -q -O- http://server/; exit $?");
        Assert.True(byName.ExitCode == 0, byName.ToString());
        Assert.Equal("survivor\n", byName.Stdout);
        var newcomer = (await _daemon.DockerAsync("run", "--rm", "--network", "kept", "busybox", "sh", "-c",
            "ip -o -4 addr show eth0 | awk '{print $4}'")).EnsureSuccess();
        Assert.DoesNotContain(ip + "/", newcomer.Stdout);
        Assert.Equal(ip, (await _daemon.DockerAsync("inspect", "-f", "{{(index .NetworkSettings.Networks \"kept\").IPAddress}}", "server")).Stdout.Trim());
        (await _daemon.DockerAsync("rm", "-f", "server")).EnsureSuccess();
        (await _daemon.DockerAsync("network", "rm", "kept")).EnsureSuccess();
    }

    [Fact]
    public async Task A_daemon_restarted_beside_containers_on_user_networks_keeps_all_its_threads_in_its_own_namespace()
    {
        (await _daemon.DockerAsync("network", "create", "before")).EnsureSuccess();
        (await _daemon.DockerAsync("run", "-d", "--name", "resident", "--network", "before", "busybox", "sleep", "1000")).EnsureSuccess();

        await _daemon.KillAsync();
        await _daemon.LaunchAsync(); // binds the resident's DNS sockets inside its namespace before serving anything

        string? own = new FileInfo("/proc/self/ns/net").LinkTarget;
        var threads = Directory.GetDirectories($"/proc/{_daemon.Pid}/task")
            .Select(task => (Name: File.ReadAllText(Path.Combine(task, "comm")).Trim(), Ns: new FileInfo(Path.Combine(task, "ns", "net")).LinkTarget))
            .ToList();
        Assert.All(threads, thread => Assert.True(thread.Ns == own, $"thread \"{thread.Name}\" is in {thread.Ns}, not the daemon's {own}"));
        (await _daemon.DockerAsync("network", "create", "after")).EnsureSuccess();
        var lookup = await _daemon.DockerAsync("run", "--rm", "--network", "before", "busybox", "nslookup", "resident", "127.0.0.11");
        Assert.True(lookup.ExitCode == 0, lookup.ToString());
        (await _daemon.DockerAsync("rm", "-f", "resident")).EnsureSuccess();
        (await _daemon.DockerAsync("network", "rm", "before", "after")).EnsureSuccess();
    }
}
