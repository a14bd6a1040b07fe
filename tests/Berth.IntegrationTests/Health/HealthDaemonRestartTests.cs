using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Health;

/// <summary>berthd killed while a container with a health check runs: the status survives and probing goes on.</summary>
public sealed class HealthDaemonRestartTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    private async Task<JsonElement> HealthOfAsync(string name) =>
        JsonDocument.Parse((await _daemon.DockerAsync("inspect", "-f", "{{json .State.Health}}", name)).EnsureSuccess().Stdout).RootElement;

    [Fact]
    public async Task Health_persists_and_probing_resumes_after_a_daemon_restart()
    {
        string name = "hc-restart-" + Guid.NewGuid().ToString("N")[..8];
        (await _daemon.DockerAsync("run", "-d", "--name", name, "--health-cmd", "date +%s%N", "--health-interval", "300ms", "busybox", "sleep", "300")).EnsureSuccess();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await HealthOfAsync(name)).GetProperty("Status").GetString() != "healthy" && DateTime.UtcNow < deadline) await Task.Delay(200);

        await _daemon.KillAsync();
        await _daemon.LaunchAsync();
        var recovered = await HealthOfAsync(name);
        string lastBefore = recovered.GetProperty("Log")[recovered.GetProperty("Log").GetArrayLength() - 1].GetProperty("End").GetString()!;
        await Task.Delay(1500);
        var later = await HealthOfAsync(name);
        string lastAfter = later.GetProperty("Log")[later.GetProperty("Log").GetArrayLength() - 1].GetProperty("End").GetString()!;

        Assert.Equal("healthy", recovered.GetProperty("Status").GetString());
        Assert.NotEqual(lastBefore, lastAfter);
        Assert.Equal("healthy", later.GetProperty("Status").GetString());
        await _daemon.DockerAsync("rm", "-f", name);
    }
}
