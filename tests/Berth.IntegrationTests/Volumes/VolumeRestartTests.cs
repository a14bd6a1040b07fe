using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Volumes;

/// <summary>A daemon killed with SIGKILL and started again keeps volumes, their data and who uses them.</summary>
public sealed class VolumeRestartTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task Data_and_references_survive_a_daemon_restart()
    {
        (await _daemon.DockerAsync("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "kept-tmpfs")).EnsureSuccess();
        string id = (await _daemon.DockerAsync("run", "-d", "--name", "holder", "-v", "kept:/d", "-v", "kept-tmpfs:/t", "busybox",
            "sh", "-c", "echo survived > /d/f && echo in-memory > /t/f && exec sleep 300")).EnsureSuccess().Stdout.Trim();
        string tmpfsData = Path.Combine(_daemon.DataRoot, "volumes", "kept-tmpfs", "_data");
        for (int i = 0; i < 50 && !File.Exists(Path.Combine(tmpfsData, "f")); i++) await Task.Delay(100);

        await _daemon.KillAsync();
        await _daemon.LaunchAsync();

        var refused = await _daemon.DockerAsync("volume", "rm", "kept");
        Assert.Contains($"volume is in use - [{id}]", refused.Stderr);
        Assert.Equal("in-memory\n", (await _daemon.DockerAsync("exec", "holder", "cat", "/t/f")).EnsureSuccess().Stdout);
        Assert.Equal("in-memory\n", File.ReadAllText(Path.Combine(tmpfsData, "f")));

        (await _daemon.DockerAsync("rm", "-f", "holder")).EnsureSuccess();
        // The last user is gone: the tmpfs is unmounted, the plain volume's data stays.
        Assert.False(File.Exists(Path.Combine(tmpfsData, "f")));
        await _daemon.KillAsync();
        await _daemon.LaunchAsync();
        Assert.Equal("survived\n", (await _daemon.DockerAsync("run", "--rm", "-v", "kept:/d", "busybox", "cat", "/d/f")).EnsureSuccess().Stdout);
        (await _daemon.DockerAsync("volume", "rm", "kept", "kept-tmpfs")).EnsureSuccess();
    }
}
