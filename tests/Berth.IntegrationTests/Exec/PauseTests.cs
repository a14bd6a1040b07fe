using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Exec;

/// <summary>docker pause/unpause: the freezer stops the processes, exec is refused with Docker's 409, stop still works.</summary>
public sealed class PauseTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Paused_containers_refuse_exec_and_resume_where_they_were()
    {
        string name = "pause-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "i=0; while true; do i=$((i+1)); echo $i > /tmp/n; sleep 0.05; done")).EnsureSuccess();

        (await Daemon.DockerAsync("pause", name)).EnsureSuccess();
        string state = (await Daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", name)).Stdout.Trim();
        var exec = await Daemon.DockerAsync("exec", name, "true");
        var again = await Daemon.DockerAsync("pause", name);
        (await Daemon.DockerAsync("unpause", name)).EnsureSuccess();
        var afterUnpause = await Daemon.DockerAsync("exec", name, "cat", "/tmp/n");

        Assert.Equal("paused true", state);
        Assert.NotEqual(0, exec.ExitCode);
        Assert.Contains($"Container {name} is paused, unpause the container before exec", exec.Stderr);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Equal(0, afterUnpause.ExitCode);
        Assert.Equal("running", (await Daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", name)).Stdout.Trim());
    }

    [Fact]
    public async Task A_paused_container_can_be_stopped()
    {
        string name = "pause-stop-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300")).EnsureSuccess();
        (await Daemon.DockerAsync("pause", name)).EnsureSuccess();

        var stop = await Daemon.DockerAsync("stop", "-t", "1", name);

        Assert.Equal(0, stop.ExitCode);
        Assert.Equal("exited false", (await Daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", name)).Stdout.Trim());
    }

    [Fact]
    public async Task Pause_and_unpause_are_events()
    {
        string name = "pause-ev-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300")).EnsureSuccess();
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        (await Daemon.DockerAsync("pause", name)).EnsureSuccess();
        (await Daemon.DockerAsync("unpause", name)).EnsureSuccess();
        var events = await Daemon.DockerAsync("events", "--since", since,
            "--until", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--filter", "container=" + name, "--format", "{{.Action}}");

        var actions = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("pause", actions);
        Assert.Contains("unpause", actions);
    }
}
