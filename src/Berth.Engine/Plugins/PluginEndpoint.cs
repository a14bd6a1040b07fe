namespace Berth.Engine.Plugins;

/// <summary>
/// A plugin berthd can talk to right now: a legacy one found by name in Docker's plugin directories (a socket or a
/// spec file), or a managed one (installed with <c>docker plugin create</c>/<c>install</c>) that is enabled.
/// </summary>
public sealed class PluginEndpoint
{
    /// <summary>The name objects record as their driver: "sshfs" for a legacy plugin, "vieux/sshfs:latest" for a managed one.</summary>
    public required string Name { get; init; }

    /// <summary>Where its HTTP API listens: a unix socket path, or an http(s) URL from a legacy spec file.</summary>
    public required string Address { get; init; }

    /// <summary>What it implements, in the Plugin.Activate vocabulary: "VolumeDriver", "NetworkDriver", "authz", "LogDriver"...</summary>
    public required IReadOnlyList<string> Implements { get; init; }

    /// <summary>True for a managed plugin (it may not be disabled or removed while something uses it).</summary>
    public bool Managed { get; init; }

    /// <summary>
    /// Maps a path the plugin answers (a volume's Mountpoint) to the path on the host. A legacy plugin runs on the host,
    /// so its paths are the host's; a managed one answers paths inside its own root filesystem.
    /// </summary>
    public Func<string, string> HostPath { get; init; } = path => path;
}
