using Berth.Api;

namespace Berth.Engine.Plugins.Managed;

/// <summary>
/// The enabled managed plugins as a plugin source: named as recorded ("x:latest", and "x" finds it), reached on their
/// socket in the exec root, with the paths they answer mapped into their root filesystem on the host.
/// </summary>
public sealed class ManagedPluginSource(ManagedPluginService plugins) : IPluginSource
{
    public ValueTask<PluginEndpoint?> FindAsync(string name, string capability, CancellationToken ct)
    {
        var plugin = plugins.Store.TryGet(name);
        return ValueTask.FromResult(plugin is { Enabled: true } && Implements(plugin, capability) ? EndpointOf(plugin) : null);
    }

    public ValueTask<IReadOnlyList<PluginEndpoint>> ListAsync(string capability, CancellationToken ct)
    {
        IReadOnlyList<PluginEndpoint> found = [.. plugins.Store.List().Where(p => p.Enabled && Implements(p, capability)).Select(EndpointOf)];
        return ValueTask.FromResult(found);
    }

    private static bool Implements(Plugin plugin, string capability) =>
        CapabilitiesOf(plugin).Contains(capability, StringComparer.OrdinalIgnoreCase);

    private PluginEndpoint EndpointOf(Plugin plugin) => new()
    {
        Name = plugin.Name,
        Address = plugins.Runner.SocketPathOf(plugin),
        Implements = CapabilitiesOf(plugin),
        Managed = true,
        HostPath = path => ScopedPath(plugin, path),
    };

    /// <summary>"docker.volumedriver/1.0" is "VolumeDriver" in Plugin.Activate's vocabulary.</summary>
    public static IReadOnlyList<string> CapabilitiesOf(Plugin plugin) =>
        [.. (plugin.Config.Interface.Types ?? []).Select(CapabilityOf)];

    private static string CapabilityOf(string type)
    {
        string capability = type;
        int dot = capability.IndexOf('.');
        if (dot >= 0) capability = capability[(dot + 1)..];
        int slash = capability.IndexOf('/');
        if (slash >= 0) capability = capability[..slash];
        return capability.ToLowerInvariant() switch
        {
            "volumedriver" => "VolumeDriver",
            "networkdriver" => "NetworkDriver",
            "ipamdriver" => "IpamDriver",
            "logdriver" => "LogDriver",
            "metricscollector" => "MetricsCollector",
            "authz" => "authz",
            _ => capability,
        };
    }

    /// <summary>dockerd's ScopedPath: under the propagated mount is the host's propagated-mount/, anything else is in rootfs/.</summary>
    private string ScopedPath(Plugin plugin, string path)
    {
        string propagated = plugin.Config.PropagatedMount.TrimEnd('/');
        if (propagated.Length > 0 && (path == propagated || path.StartsWith(propagated + "/", StringComparison.Ordinal)))
            return plugins.Store.PropagatedMountOf(plugin.Id) + path[propagated.Length..];
        return Path.Join(plugins.Store.RootfsOf(plugin.Id), path);
    }
}
