namespace Berth.Api;

/// <summary>
/// A managed plugin as GET /plugins and /plugins/{name}/json return it. berthd also keeps it on disk in this shape (as
/// dockerd keeps its plugin object), so the settings and the enabled state survive a restart. Properties are in
/// Docker's order (alphabetical), nulls written as Docker writes them.
/// </summary>
public sealed class Plugin
{
    public PluginConfig Config { get; set; } = new();

    public bool Enabled { get; set; }

    public string Id { get; set; } = "";

    /// <summary>The reference it is known by, always tagged ("vieux/sshfs:latest").</summary>
    public string Name { get; set; } = "";

    /// <summary>Where it came from: the remote it was pulled from, or its own name for one made by create.</summary>
    public string PluginReference { get; set; } = "";

    public PluginSettings Settings { get; set; } = new();
}

/// <summary>The values in effect: the config's defaults as changed by POST /plugins/{name}/set.</summary>
public sealed class PluginSettings
{
    public List<string> Args { get; set; } = [];

    public List<PluginDevice> Devices { get; set; } = [];

    /// <summary>"NAME=value".</summary>
    public List<string> Env { get; set; } = [];

    public List<PluginMount> Mounts { get; set; } = [];
}

/// <summary>A mount of a plugin's config and settings.</summary>
public sealed class PluginMount
{
    public string Description { get; set; } = "";

    public string Destination { get; set; } = "";

    public string Name { get; set; } = "";

    public List<string>? Options { get; set; }

    public List<string>? Settable { get; set; }

    public string? Source { get; set; }

    public string Type { get; set; } = "";
}

/// <summary>A device of a plugin's config and settings.</summary>
public sealed class PluginDevice
{
    public string Description { get; set; } = "";

    public string Name { get; set; } = "";

    public string? Path { get; set; }

    public List<string>? Settable { get; set; }
}

/// <summary>An environment variable a plugin's config declares.</summary>
public sealed class PluginEnv
{
    public string Description { get; set; } = "";

    public string Name { get; set; } = "";

    public List<string>? Settable { get; set; }

    public string? Value { get; set; }
}
