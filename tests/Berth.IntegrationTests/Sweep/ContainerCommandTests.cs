using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Sweep;

/// <summary>
/// docker 28's container commands (update, top, commit, exec, ps, events) against berthd, each asserting what the
/// reference dockerd printed for the same command.
/// </summary>
public sealed class ContainerCommandTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private Task<CommandResult> Docker(params string[] args) => Daemon.DockerAsync(args);

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private async Task<string> RunningAsync()
    {
        string name = Unique("sw");
        (await Docker("run", "-d", "--name", name, "busybox", "sleep", "300")).EnsureSuccess();
        return name;
    }

    private static string Stderr(CommandResult result) => result.Stderr.Trim();

    [Fact]
    public async Task Pids_limits_of_zero_or_below_are_unlimited_null_at_create_and_zero_after_update()
    {
        string name = Unique("pids");
        (await Docker("create", "--name", name, "--pids-limit", "-5", "busybox")).EnsureSuccess();
        Assert.Equal("<nil> <nil> runc\n",
            (await Docker("inspect", "-f", "{{.HostConfig.PidsLimit}} {{.HostConfig.MemorySwappiness}} {{.HostConfig.Runtime}}", name)).EnsureSuccess().Stdout);
        (await Docker("update", "--pids-limit", "-1", name)).EnsureSuccess();
        Assert.Equal("0\n", (await Docker("inspect", "-f", "{{.HostConfig.PidsLimit}}", name)).EnsureSuccess().Stdout);
        (await Docker("rm", name)).EnsureSuccess();
    }

    [Fact]
    public async Task Top_reports_a_ps_failure_with_dockerds_prefix()
    {
        string name = await RunningAsync();
        var top = await Docker("top", name, "--bogus");
        Assert.Equal(1, top.ExitCode);
        Assert.Equal("Error response from daemon: ps: error: unknown gnu long option", Stderr(top));
        (await Docker("rm", "-f", name)).EnsureSuccess();
    }

    [Fact]
    public async Task Commit_names_a_refused_change_in_lower_case()
    {
        string name = Unique("cmt");
        (await Docker("create", "--name", name, "busybox")).EnsureSuccess();
        var commit = await Docker("commit", "-c", "FROM x", name);
        Assert.Equal(1, commit.ExitCode);
        Assert.Equal("Error response from daemon: from is not a valid change command", Stderr(commit));
        (await Docker("rm", name)).EnsureSuccess();
    }

    [Fact]
    public async Task Exec_in_a_paused_container_names_it_as_the_user_did()
    {
        string name = await RunningAsync();
        (await Docker("pause", name)).EnsureSuccess();
        var exec = await Docker("exec", name, "true");
        Assert.Equal(1, exec.ExitCode);
        Assert.Equal($"Error response from daemon: Container {name} is paused, unpause the container before exec", Stderr(exec));
        (await Docker("unpause", name)).EnsureSuccess();
        (await Docker("rm", "-f", name)).EnsureSuccess();
    }

    [Fact]
    public async Task Ps_quotes_the_arguments_that_hold_spaces()
    {
        string name = Unique("cmd");
        (await Docker("create", "--name", name, "busybox", "sh", "-c", "exit 3")).EnsureSuccess();
        Assert.Equal("sh -c 'exit 3'\n",
            (await Docker("ps", "-a", "--no-trunc", "--filter", "name=" + name, "--format", "{{.Command}}")).EnsureSuccess().Stdout.Replace("\"", ""));
        (await Docker("rm", name)).EnsureSuccess();
    }

    [Fact]
    public async Task Events_report_the_networks_a_container_joins_at_start_and_leaves_after_it_dies()
    {
        string network = Unique("evnet");
        (await Docker("network", "create", network)).EnsureSuccess();
        string name = Unique("ev");
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString();
        string id = (await Docker("create", "--name", name, "busybox", "true")).EnsureSuccess().Stdout.Trim();
        (await Docker("network", "connect", network, name)).EnsureSuccess();
        (await Docker("start", "-a", name)).EnsureSuccess();
        (await Docker("rm", name)).EnsureSuccess();
        string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
        var events = (await Docker("events", "--since", since, "--until", until, "--filter", "type=container", "--filter", "type=network",
            "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}|{{.Actor.Attributes.container}}")).EnsureSuccess();
        var lines = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains(" " + name + "|") || l.EndsWith("|" + id))
            .Select(l => l[..l.IndexOf('|')])
            .ToList();
        // Connecting a stopped container is no event; its start reports both networks, its end both again (dockerd
        // walks a map there, so their order is not kept).
        Assert.Equal(
        [
            $"container create {name}", "container attach " + name, "network connect bridge", $"network connect {network}",
            $"container start {name}", $"container die {name}",
        ], lines.Take(6));
        Assert.Equal(["network disconnect bridge", $"network disconnect {network}"], lines.Skip(6).Take(2).Order());
        Assert.Equal([$"container destroy {name}"], lines.Skip(8));
        (await Docker("network", "rm", network)).EnsureSuccess();
    }
}
