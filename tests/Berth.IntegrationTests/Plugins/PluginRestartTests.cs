using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Plugins;

/// <summary>
/// Plugins across daemon restarts: berthd leaves them running like containers; an enabled one whose shim still runs
/// is adopted, one that is gone is started again, a disabled one stays stopped; one that dies while berthd runs is
/// started again.
/// </summary>
public sealed class PluginRestartTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync(withBusybox: false);

    public async Task DisposeAsync()
    {
        foreach (string name in new[] { "rp", "rd" }) await _daemon.DockerAsync("plugin", "rm", "-f", name);
        await _daemon.DisposeAsync();
    }

    [Fact]
    public async Task An_enabled_plugin_is_adopted_or_started_again_and_a_disabled_one_stays_stopped()
    {
        string dir = await PluginDirectory.CreateAsync(_daemon.Root);
        (await _daemon.DockerAsync("plugin", "create", "rp", dir)).EnsureSuccess();
        (await _daemon.DockerAsync("plugin", "create", "rd", dir)).EnsureSuccess();
        await PluginDirectory.EnableAsync(_daemon, "rp");
        string id = (await _daemon.DockerAsync("plugin", "inspect", "-f", "{{.Id}}", "rp")).EnsureSuccess().Stdout.Trim();
        string disabledId = (await _daemon.DockerAsync("plugin", "inspect", "-f", "{{.Id}}", "rd")).EnsureSuccess().Stdout.Trim();
        string socket = Path.Combine(_daemon.ExecRoot, "plugins", id, PluginDirectory.Socket);
        int pid = PluginPid(id);

        // A daemon stopped (SIGTERM) leaves the plugin running, and the next one adopts it as it is.
        await _daemon.StopAsync();
        Assert.Contains("VolumeDriver", await PluginDirectory.ActivateAsync(socket));
        await _daemon.LaunchAsync();
        Assert.Equal("true\n", (await _daemon.DockerAsync("plugin", "inspect", "-f", "{{.Enabled}}", "rp")).EnsureSuccess().Stdout);
        Assert.Equal(pid, PluginPid(id));
        Assert.Equal("false\n", (await _daemon.DockerAsync("plugin", "inspect", "-f", "{{.Enabled}}", "rd")).EnsureSuccess().Stdout);
        Assert.False(Directory.Exists(Path.Combine(_daemon.ExecRoot, "plugins", disabledId)));

        // Gone while the daemon was down (killed with its shim): started again.
        await _daemon.KillAsync();
        (await Commands.RunAsync("kill", ["-9", pid.ToString()])).EnsureSuccess();
        await _daemon.LaunchAsync();
        Assert.Equal("true\n", (await _daemon.DockerAsync("plugin", "inspect", "-f", "{{.Enabled}}", "rp")).EnsureSuccess().Stdout);
        Assert.Contains("VolumeDriver", await PluginDirectory.ActivateAsync(socket));
        int restarted = PluginPid(id);
        Assert.NotEqual(pid, restarted);

        // Dies while the daemon runs: started again, still enabled.
        (await Commands.RunAsync("kill", ["-9", restarted.ToString()])).EnsureSuccess();
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
            if (PluginPidOrZero(id) is var now && now != 0 && now != restarted && File.Exists(socket)) break;
        Assert.Contains("VolumeDriver", await PluginDirectory.ActivateAsync(socket));
        Assert.NotEqual(restarted, PluginPid(id));
        Assert.Equal("true\n", (await _daemon.DockerAsync("plugin", "inspect", "-f", "{{.Enabled}}", "rp")).EnsureSuccess().Stdout);

        // A disabled plugin is not watched any more: disabling stops it for good.
        (await _daemon.DockerAsync("plugin", "disable", "rp")).EnsureSuccess();
        await Task.Delay(1500);
        Assert.False(File.Exists(socket));
    }

    private int PluginPidOrZero(string id)
    {
        try
        {
            return PluginPid(id);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>The plugin process's pid on the host, from the shim's init.pid.</summary>
    private int PluginPid(string id) =>
        int.Parse(File.ReadAllText(Path.Combine(_daemon.ExecRoot, "plugin-bundles", id, "init.pid")).Trim());
}
