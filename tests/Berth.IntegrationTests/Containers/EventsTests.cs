using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

public sealed class EventsTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Events_report_a_containers_life()
    {
        var daemon = fixture.Daemon;
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString();
        string name = "events-" + Guid.NewGuid().ToString("N")[..8];
        await daemon.DockerAsync("run", "--rm", "--name", name, "busybox", "sh", "-c", "exit 2");
        string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
        var events = await daemon.DockerAsync("events", "--since", since, "--until", until, "--filter", $"container={name}",
            "--format", "{{.Action}} {{.Actor.Attributes.exitCode}}");
        var actions = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        Assert.Equal(["create", "attach", "start", "die 2", "destroy"], actions.Select(a => a.EndsWith("<no value>") ? a[..a.IndexOf(' ')] : a).ToList());
    }
}
