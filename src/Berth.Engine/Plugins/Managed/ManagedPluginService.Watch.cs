using System.Net.Sockets;
using Berth.Api;
using Berth.Engine.Runtime.Shim;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Plugins.Managed;

/// <summary>
/// A running plugin is watched through its shim: when its process exits while the plugin is enabled, it is started
/// again after a pause (dockerd restarts a plugin that dies; the pause keeps one that dies at once from spinning).
/// A plugin that cannot be started again is recorded disabled. Disabling or removing it ends the watch first.
/// </summary>
public sealed partial class ManagedPluginService
{
    private static readonly TimeSpan RestartPause = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, CancellationTokenSource> _watches = new(StringComparer.Ordinal);
    private readonly Lock _watchGate = new();

    private void Watch(Plugin plugin)
    {
        var watch = new CancellationTokenSource();
        lock (_watchGate)
        {
            if (_watches.Remove(plugin.Id, out var earlier)) earlier.Cancel();
            _watches[plugin.Id] = watch;
        }
        _ = WatchAsync(plugin.Id, watch.Token);
    }

    private void Unwatch(string id)
    {
        lock (_watchGate)
        {
            if (_watches.Remove(id, out var watch)) watch.Cancel();
        }
    }

    private async Task WatchAsync(string id, CancellationToken stop)
    {
        try
        {
            await new ShimClient(Runner.BundleOf(id)).WaitAsync(stop);
            await Task.Delay(RestartPause, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is BerthException or IOException or SocketException)
        {
            // The shim is gone too (killed with the plugin): the plugin is started again all the same.
        }
        await RestartAsync(id, stop);
    }

    private async Task RestartAsync(string id, CancellationToken stop)
    {
        await _lock.WaitAsync(CancellationToken.None);
        try
        {
            // Disabled or removed meanwhile: that operation ended the watch before it stopped the plugin.
            if (stop.IsCancellationRequested || Store.TryGet(id) is not { Enabled: true } plugin) return;
            _logger.LogWarning("plugin {Name} exited: starting it again", plugin.Name);
            await Runner.StopAsync(plugin, TimeSpan.Zero); // what the exit left: the shim, runc's state, the socket
            try
            {
                await Runner.StartAsync(plugin, CancellationToken.None);
                Watch(plugin);
            }
            catch (Exception e) when (e is BerthException or IOException)
            {
                _logger.LogWarning("plugin {Name}: could not be started again: {Message}", plugin.Name, e.Message);
                Unwatch(id);
                plugin.Enabled = false;
                Store.Save(plugin);
            }
        }
        finally
        {
            _lock.Release();
        }
    }
}
