using System.Security.Cryptography;
using System.Text.Json;
using Berth.Engine.Plugins;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Volumes;

/// <summary>
/// Volumes whose driver is a plugin: berthd keeps their record (name, driver, options, labels) and asks the plugin
/// for the rest, with dockerd's words for each failure. The volume and container paths that use this are synchronous,
/// so they wait for the plugin here; every call has a deadline (<see cref="VolumeDriverClient"/>).
/// </summary>
public sealed partial class VolumeService
{
    /// <summary>Where volume plugins are found; null when the daemon has none (only the local driver then).</summary>
    public PluginRegistry? Plugins { get; set; }

    /// <summary>What inspect and ls show of a volume besides its record: where it is on the host, and a plugin's status.</summary>
    public sealed record VolumeView(VolumeRecord Volume, string Mountpoint, Dictionary<string, JsonElement>? Status, string? CreatedAt = null);

    /// <summary>The driver <paramref name="driver"/> for the volume <paramref name="volume"/>, with dockerd's error when there is none.</summary>
    private VolumeDriverClient DriverFor(string volume, string driver, string operation)
    {
        PluginEndpoint? plugin;
        try
        {
            plugin = Plugins is null ? null : Wait(Plugins.FindAsync(driver, VolumeDriverClient.Capability, CancellationToken.None).AsTask());
        }
        catch (PluginCallException e)
        {
            throw BerthException.Internal($"{operation} {volume}: error looking up volume plugin {driver}: {e.Message}", e);
        }
        if (plugin is null)
            throw BerthException.NotFound($"{operation} {volume}: error looking up volume plugin {driver}: plugin \"{driver}\" not found");
        return new VolumeDriverClient(plugin, Plugins!.Client);
    }

    private (VolumeRecord Volume, bool Created) CreateOnPlugin(string name, string driver, Dictionary<string, string>? options, Dictionary<string, string>? labels)
    {
        var plugin = DriverFor(name, driver, "create");
        VolumeNames.Validate(name);
        if (_store.TryGet(name) is { } existing) return (CheckSameDriver(existing, plugin.Plugin.Name), false);
        try
        {
            Wait(plugin.CreateAsync(name, options, CancellationToken.None));
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
    public VolumeView Describe(VolumeRecord volume)
    {
        if (volume.IsLocal) return new VolumeView(volume, _store.DataDirOf(volume.Name), null);
        try
        {
            var described = Wait(DriverFor(volume.Name, volume.Driver, "get").GetAsync(volume.Name, CancellationToken.None));
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
    public (List<VolumeView> Volumes, List<string> Warnings) ListAll()
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
                plugins = Wait(Plugins.ListAsync(VolumeDriverClient.Capability, CancellationToken.None).AsTask());
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
                    listed = Wait(new VolumeDriverClient(plugin, Plugins.Client).ListAsync(CancellationToken.None));
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
    private void RemoveOnPlugin(VolumeRecord volume, bool force)
    {
        try
        {
            Wait(DriverFor(volume.Name, volume.Driver, "remove").RemoveAsync(volume.Name, CancellationToken.None));
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
    private string MountOnPlugin(MountPointRecord mount)
    {
        var plugin = DriverFor(mount.Name!, mount.Driver!, "get");
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        try
        {
            string path = Wait(plugin.MountAsync(mount.Name!, id, CancellationToken.None));
            mount.PluginMountId = id;
            return path;
        }
        catch (PluginCallException e)
        {
            throw BerthException.Internal($"error while mounting volume '{mount.Source}': {e.Message}", e);
        }
    }

    /// <summary>Ends the container's use of a plugin's volume; a failure is logged (the container has stopped either way).</summary>
    private void UnmountOnPlugin(string containerId, MountPointRecord mount)
    {
        if (mount.PluginMountId is not { } id) return;
        try
        {
            Wait(DriverFor(mount.Name!, mount.Driver!, "get").UnmountAsync(mount.Name!, id, CancellationToken.None));
        }
        catch (Exception e) when (e is PluginCallException or BerthException)
        {
            _logger.LogWarning("volume {Name} of container {Id}: unmount on plugin {Driver} failed: {Message}", mount.Name, containerId, mount.Driver, e.Message);
        }
        mount.PluginMountId = null;
    }

    // Called from synchronous volume and container paths; plugin calls carry their own deadlines.
    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Wait(Task task) => task.GetAwaiter().GetResult();
}
