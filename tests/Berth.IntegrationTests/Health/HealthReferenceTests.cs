using System.Globalization;
using System.Text.Json;
using Berth.IntegrationTests.Archives;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Health;

/// <summary>The same failing health check on berthd and on the reference dockerd: State.Health, ps status, events.</summary>
public sealed class HealthReferenceTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private const string Check = "echo out; echo err >&2; exit 3";

    private BerthDaemon Daemon => fixture.Daemon;

    private sealed record Observed(JsonElement Health, string Status, List<string> Actions);

    [Fact]
    public async Task An_unhealthy_container_looks_the_same_as_on_dockerd()
    {
        string image = "berth-health-ref:" + Guid.NewGuid().ToString("N")[..8];
        string tar = await BusyboxImage.TarPathAsync();
        await ReferenceDocker.CheckAsync("import", tar, image);
        try
        {
            var reference = await ObserveAsync(ReferenceDocker.RunAsync, image);
            var berth = await ObserveAsync(async args => { var r = await Daemon.DockerAsync(args); return (r.ExitCode, r.Stdout, r.Stderr); }, "busybox");

            Assert.Equal(PropertyNames(reference.Health), PropertyNames(berth.Health));
            Assert.Equal(PropertyNames(reference.Health.GetProperty("Log")[0]), PropertyNames(berth.Health.GetProperty("Log")[0]));
            // stdout and stderr are two pipes: which line comes first is a race on dockerd too.
            Assert.Equal(Lines(reference.Health), Lines(berth.Health));
            Assert.Equal(reference.Health.GetProperty("Log")[0].GetProperty("ExitCode").GetInt32(), berth.Health.GetProperty("Log")[0].GetProperty("ExitCode").GetInt32());
            Assert.Equal(Suffix(reference.Status), Suffix(berth.Status));
            Assert.Equal(reference.Actions, berth.Actions);
        }
        finally
        {
            await ReferenceDocker.RunAsync("rmi", image);
        }
    }

    private static async Task<Observed> ObserveAsync(Func<string[], Task<(int ExitCode, string Stdout, string Stderr)>> docker, string image)
    {
        string name = "hc-ref-" + Guid.NewGuid().ToString("N")[..8];
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var run = await docker(["run", "-d", "--name", name, "--health-cmd", Check, "--health-interval", "300ms", "--health-retries", "2", image, "sleep", "60"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            JsonElement health;
            do
            {
                await Task.Delay(200);
                health = JsonDocument.Parse((await docker(["inspect", "-f", "{{json .State.Health}}", name])).Stdout).RootElement;
            }
            while (health.GetProperty("Status").GetString() != "unhealthy" && DateTime.UtcNow < deadline);
            string status = (await docker(["ps", "--filter", "name=" + name, "--format", "{{.Status}}"])).Stdout.Trim();
            var events = await docker(["events", "--since", since, "--until", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                "--filter", "container=" + name, "--format", "{{.Action}}"]);
            // Up to the first health_status: create, start, two failed probes, then the change to unhealthy.
            var actions = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            int changed = actions.FindIndex(a => a.StartsWith("health_status", StringComparison.Ordinal));
            return new Observed(health, status, changed < 0 ? actions : actions[..(changed + 1)]);
        }
        finally
        {
            await docker(["rm", "-f", name]);
        }
    }

    private static List<string> Lines(JsonElement health) =>
        [.. health.GetProperty("Log")[0].GetProperty("Output").GetString()!.Split('\n').Order(StringComparer.Ordinal)];

    private static List<string> PropertyNames(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();

    private static string Suffix(string status) => status[(status.LastIndexOf('(') is var at and >= 0 ? at : 0)..];
}
