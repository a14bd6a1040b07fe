using System.Security.Cryptography;
using System.Text.Json;
using Berth.Api;
using Berth.Engine.Events;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Plugins.Managed;

/// <summary>
/// Managed (v2) plugins: made from a directory's tar (create), enabled (run as a container), disabled, configured
/// (set) and removed, with dockerd's rules and messages. One operation at a time: they are rare, and enabling one
/// must not race its removal.
/// </summary>
public sealed partial class ManagedPluginService
{
    /// <summary>How long a disabled plugin has between SIGTERM and SIGKILL (dockerd's shutdown of a plugin).</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly EventBus _events;
    private readonly ILogger _logger;
    private readonly string _engineVersion;

    public ManagedPluginService(EnginePaths paths, EngineOptions options, EventBus events, ILogger logger, string engineVersion)
    {
        Store = new PluginStore(Path.Combine(paths.DataRoot, "plugins"));
        Runner = new PluginRunner(paths, options, Store, logger);
        _events = events;
        _logger = logger;
        _engineVersion = engineVersion;
    }

    public PluginStore Store { get; }

    public PluginRunner Runner { get; }

    /// <summary>
    /// Whether something uses the plugin of this name ("x:latest"): a volume whose driver it is. A used plugin is
    /// neither disabled nor removed without force. Set by the daemon, which knows the volumes.
    /// </summary>
    public Func<string, bool> InUse { get; set; } = _ => false;

    public IReadOnlyList<Plugin> List() => Store.List();

    public Plugin Get(string refOrId) => Store.Get(refOrId);

    public async Task EnableAsync(string refOrId, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var plugin = Store.Get(refOrId);
            if (plugin.Enabled) throw BerthException.Conflict($"plugin already enabled: plugin {plugin.Name} is enabled");
            await Runner.StartAsync(plugin, cancellationToken);
            plugin.Enabled = true;
            Store.Save(plugin);
            Watch(plugin);
            Publish(plugin, "enable", refOrId);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task DisableAsync(string refOrId, bool force, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var plugin = Store.Get(refOrId);
            if (!plugin.Enabled) throw BerthException.Conflict($"plugin is already disabled: plugin {plugin.Name} found but disabled");
            if (!force && InUse(plugin.Name)) throw BerthException.Conflict($"plugin {plugin.Name} is in use");
            Unwatch(plugin.Id);
            await Runner.StopAsync(plugin, StopGrace);
            plugin.Enabled = false;
            Store.Save(plugin);
            Publish(plugin, "disable", refOrId);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task RemoveAsync(string refOrId, bool force, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var plugin = Store.Get(refOrId);
            if (!force)
            {
                if (InUse(plugin.Name)) throw BerthException.Conflict($"plugin {plugin.Name} is in use");
                if (plugin.Enabled) throw BerthException.Conflict($"plugin {plugin.Name} is enabled");
            }
            Unwatch(plugin.Id);
            if (plugin.Enabled) await Runner.StopAsync(plugin, StopGrace);
            else if (await Runner.IsRunningAsync(plugin, cancellationToken)) await Runner.StopAsync(plugin, TimeSpan.Zero);
            Store.Remove(plugin);
            Store.CollectBlobs();
            Publish(plugin, "remove", refOrId);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// After a daemon restart: an enabled plugin whose shim still runs it is adopted as it is, one that is gone is
    /// started again (and recorded disabled when that fails, as dockerd does), a disabled one stays stopped.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(Store.List().Select(plugin => RecoverAsync(plugin, cancellationToken)));
    }

    private async Task RecoverAsync(Plugin plugin, CancellationToken cancellationToken)
    {
        bool running = await Runner.IsRunningAsync(plugin, cancellationToken);
        if (plugin.Enabled && running)
        {
            Watch(plugin);
            return;
        }
        if (!plugin.Enabled)
        {
            if (running) await Runner.StopAsync(plugin, TimeSpan.Zero);
            return;
        }
        try
        {
            await Runner.StopAsync(plugin, TimeSpan.Zero); // what the previous run left: runc state, a dead shim's socket
            await Runner.StartAsync(plugin, cancellationToken);
            Watch(plugin);
        }
        catch (Exception e) when (e is BerthException or IOException)
        {
            _logger.LogWarning("plugin {Name}: could not be started again: {Message}", plugin.Name, e.Message);
            plugin.Enabled = false;
            Store.Save(plugin);
        }
    }

    private void Publish(Plugin plugin, string action, string name) =>
        _events.Publish("plugin", action, plugin.Id, new Dictionary<string, string> { ["name"] = name });

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>A deep copy through JSON, so a change that fails half-way leaves the stored plugin as it was.</summary>
    private static Plugin Clone(Plugin plugin) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(plugin, ApiJsonContext.Default.Plugin), ApiJsonContext.Default.Plugin)!;
}
