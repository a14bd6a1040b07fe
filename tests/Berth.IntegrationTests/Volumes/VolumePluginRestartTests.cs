using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Volumes;

/// <summary>A plugin volume in use by a running container when berthd is killed and started again.</summary>
public sealed class VolumePluginRestartTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync(true, TestVolumePlugin.DaemonArgs);

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task A_running_containers_plugin_mount_is_still_counted_and_unmounted_when_it_stops()
    {
        await using var plugin = await TestVolumePlugin.StartAsync();
        string volume = "kept-" + Guid.NewGuid().ToString("N")[..8];
        (await _daemon.DockerAsync("volume", "create", "-d", plugin.Name, volume)).EnsureSuccess();
        string id = (await _daemon.DockerAsync("run", "-d", "--name", "holder", "-v", volume + ":/d", "busybox", "sleep", "300")).EnsureSuccess().Stdout.Trim();
        string mountId = Assert.Single(plugin.CallsOf("VolumeDriver.Mount", volume)).Split(' ')[2];

        await _daemon.KillAsync();
        await _daemon.LaunchAsync();

        var refused = await _daemon.DockerAsync("volume", "rm", volume);
        Assert.Contains($"volume is in use - [{id}]", refused.Stderr);
        var inspected = JsonDocument.Parse((await _daemon.DockerAsync("volume", "inspect", volume)).EnsureSuccess().Stdout).RootElement[0];
        Assert.Equal(1, TestVolumePlugin.MountsIn(inspected));

        (await _daemon.DockerAsync("stop", "-t", "0", "holder")).EnsureSuccess();
        Assert.Equal($"VolumeDriver.Unmount {volume} {mountId}", Assert.Single(plugin.CallsOf("VolumeDriver.Unmount", volume)));
        (await _daemon.DockerAsync("rm", "holder")).EnsureSuccess();
        (await _daemon.DockerAsync("volume", "rm", volume)).EnsureSuccess();
    }
}
