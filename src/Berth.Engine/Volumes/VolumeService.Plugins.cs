using System.Security.Cryptography;
using System.Text.Json;
using Berth.Engine.Plugins;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Volumes;

/// <summary>
/// Volumes whose driver is a plugin: berthd keeps their record (name, driver, options, labels) and asks the plugin
/// for the rest, with dockerd's words for each failure. Every call has a deadline of its own (<see cref="VolumeDriverClient"/>)
/// besides the caller's cancellation.
/// </summary>
public sealed partial class VolumeService
{
    /// <summary>Where volume plugins are found; null when the daemon has none (only the local driver then).</summary>
    public PluginRegistry? Plugins { get; set; }

    /// <summary>What inspect and ls show of a volume besides its record: where it is on the host, and a plugin's status.</summary>
    public sealed record VolumeView(VolumeRecord Volume, string Mountpoint, Dictionary<string, JsonElement>? Status, string? CreatedAt = null);

    /// <summary>The driver <paramref name="driver"/> for the volume <paramref name="volume"/>, with dockerd's error when there is none.</summary>
    private async Task<VolumeDriverClient> DriverForAsync(string volume, string driver, string operation, CancellationToken cancellationToken)
    {
        PluginEndpoint? plugin;
        try
        {
            plugin = Plugins is null ? null : await Plugins.FindAsync(driver, VolumeDriverClient.Capability, cancellationToken);
        }
        catch (PluginCallException e)
        {
            throw BerthException.Internal($"{operation} {volume}: error looking up volume plugin {driver}: {e.Message}", e);
        }
        if (plugin is null)
            throw BerthException.NotFound($"{operation} {volume}: error looking up volume plugin {driver}: plugin \"{driver}\" not found");
        return new VolumeDriverClient(plugin, Plugins!.Client);
    }

    private async Task<(VolumeRecord Volume, bool Created)> CreateOnPluginAsync(string name, string driver, Dictionary<string, string>? options, Dictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        var plugin = await DriverForAsync(name, driver, "create", cancellationToken);
        VolumeNames.Validate(name);
        if (_store.TryGet(name) is { } existing) return (CheckSameDriver(existing, plugin.Plugin.Name), false);
        try
        {
            await plugin.CreateAsync(name, options, cancellationToken);
        }
        catch (PluginCallException e)
        {
            throw BerthException.Internal($"create {name}: {e.Message}", e);
        }
        var result = _store.GetOrAdd(new VolumeRecord
        {
            Name = name,
            Driver = plugin.Plugin.Name,
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            Labels = labels is null ? null : new Dictionary<string, string>(labels, StringComparer.Ordinal),
            Options = options is null ? null : new Dictionary<string, string>(options, StringComparer.Ordinal),
        });
        if (result.Created) _events.Publish("volume", "create", name, new Dictionary<string, string> { ["driver"] = result.Volume.Driver });
        return result;
    }

    /// <summary>GET /volumes/{name}: a plugin's volume is described by the plugin (its Mountpoint and Status).</summary>
    public async Task<VolumeView> DescribeAsync(VolumeRecord volume, CancellationToken cancellationToken)
    {
        if (volume.IsLocal) return new VolumeView(volume, _store.DataDirOf(volume.Name), null);
        try
        {
            var driver = await DriverForAsync(volume.Name, volume.Driver, "get", cancellationToken);
            var described = await driver.GetAsync(volume.Name, cancellationToken);
            return new VolumeView(volume, described.Mountpoint ?? "", described.Status ?? []);
        }
        catch (PluginCallException e)
        {
            throw BerthException.Internal($"get {volume.Name}: error while checking if volume \"{volume.Name}\" exists in driver \"{volume.Driver}\": {e.Message}", e);
        }
    }

    /// <summary>
    /// GET /volumes: the known volumes and every volume plugin's own list (a plugin's volumes made elsewhere are shown
    /// too, as dockerd shows them). A plugin that fails to answer is skipped with dockerd's warning "list NAME: …".
    /// </summary>
    public async Task<(List<VolumeView> Volumes, List<string> Warnings)> ListAllAsync(CancellationToken cancellationToken)
    {
        var views = new Dictionary<string, VolumeView>(StringComparer.Ordinal);
        foreach (var volume in _store.List())
            views[volume.Name] = new VolumeView(volume, volume.IsLocal ? _store.DataDirOf(volume.Name) : "", null);
        var warnings = new List<string>();
        if (Plugins is not null)
        {
            IReadOnlyList<PluginEndpoint> plugins;
            try
            {
                plugins = await Plugins.ListAsync(VolumeDriverClient.Capability, cancellationToken);
            }
            catch (PluginCallException e)
            {
                plugins = [];
                warnings.Add(e.Message);
            }
            foreach (var plugin in plugins)
            {
                IReadOnlyList<PluginVolume> listed;
                try
                {
                    listed = await new VolumeDriverClient(plugin, Plugins.Client).ListAsync(cancellationToken);
                }
                catch (PluginCallException e)
                {
                    warnings.Add($"list {plugin.Name}: {e.Message}");
                    continue;
                }
                foreach (var found in listed.Where(v => v.Name.Length > 0))
                {
                    if (views.TryGetValue(found.Name, out var known))
                    {
                        if (known.Volume.Driver == plugin.Name) views[found.Name] = known with { Mountpoint = found.Mountpoint ?? "" };
                        continue;
                    }
                    var record = new VolumeRecord { Name = found.Name, Driver = plugin.Name };
                    views[found.Name] = new VolumeView(record, found.Mountpoint ?? "", null, found.CreatedAt);
                }
            }
        }
        return (views.Values.OrderBy(v => v.Volume.Name, StringComparer.Ordinal).ToList(), warnings);
    }

    /// <summary>Removes the volume on its plugin; with force a plugin that fails (or is gone) does not keep the record.</summary>
    private async Task RemoveOnPluginAsync(VolumeRecord volume, bool force, CancellationToken cancellationToken)
    {
        try
        {
            var driver = await DriverForAsync(volume.Name, volume.Driver, "remove", cancellationToken);
            await driver.RemoveAsync(volume.Name, cancellationToken);
        }
        catch (Exception e) when (force && e is PluginCallException or BerthException)
        {
            _logger.LogWarning("volume {Name}: removed from berthd while its plugin {Driver} failed: {Message}", volume.Name, volume.Driver, e.Message);
        }
        catch (PluginCallException e)
        {
            throw BerthException.Internal($"remove {volume.Name}: {e.Message}", e);
        }
    }

    /// <summary>Mounts a plugin's volume for one container's use: a new ID per use, kept in the mount point.</summary>
    private async Task<string> MountOnPluginAsync(MountPointRecord mount, CancellationToken cancellationToken)
    {
        var plugin = await DriverForAsync(mount.Name!, mount.Driver!, "get", cancellationToken);
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        try
        {
            string path = await plugin.MountAsync(mount.Name!, id, cancellationToken);
            mount.PluginMountId = id;
            return path;
        }
        catch (PluginCallException e)
        {
            throw BerthException.Internal($"error while mounting volume '{mount.Source}': {e.Message}", e);
        }
    }

    /// <summary>Ends the container's use of a plugin's volume; a failure is logged (the container has stopped either way).</summary>
    private async Task UnmountOnPluginAsync(string containerId, MountPointRecord mount, CancellationToken cancellationToken)
    {
        if (mount.PluginMountId is not { } id) return;
        try
        {
            var driver = await DriverForAsync(mount.Name!, mount.Driver!, "get", cancellationToken);
            await driver.UnmountAsync(mount.Name!, id, cancellationToken);
        }
        catch (Exception e) when (e is PluginCallException or BerthException)
        {
            _logger.LogWarning("volume {Name} of container {Id}: unmount on plugin {Driver} failed: {Message}", mount.Name, containerId, mount.Driver, e.Message);
        }
        mount.PluginMountId = null;
    }
}
