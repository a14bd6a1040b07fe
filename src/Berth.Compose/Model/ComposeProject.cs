namespace Berth.Compose.Model;

/// <summary>
/// A loaded compose project: every file merged, variables interpolated, short syntax turned into long, and the
/// services whose profiles are not active left out. Map keys keep the order of the files.
/// </summary>
public sealed record ComposeProject
{
    /// <summary>The project name, normalized as Compose does (lowercase letters, digits, dash and underscore).</summary>
    public required string Name { get; init; }

    /// <summary>The project directory: relative paths in the files are resolved against it.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The files loaded, absolute, in order.</summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = [];

    public IReadOnlyDictionary<string, ServiceConfig> Services { get; init; } = new Dictionary<string, ServiceConfig>();

    /// <summary>Services defined but left out because none of their profiles is active.</summary>
    public IReadOnlyDictionary<string, ServiceConfig> DisabledServices { get; init; } = new Dictionary<string, ServiceConfig>();

    public IReadOnlyDictionary<string, NetworkConfig> Networks { get; init; } = new Dictionary<string, NetworkConfig>();
    public IReadOnlyDictionary<string, VolumeConfig> Volumes { get; init; } = new Dictionary<string, VolumeConfig>();
    public IReadOnlyDictionary<string, FileObjectConfig> Secrets { get; init; } = new Dictionary<string, FileObjectConfig>();
    public IReadOnlyDictionary<string, FileObjectConfig> Configs { get; init; } = new Dictionary<string, FileObjectConfig>();

    /// <summary>The profiles that were active when the project was loaded.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];
}

/// <summary>A top-level network. Name is the engine's name: <c>{project}_{key}</c> unless set, or external.</summary>
public sealed record NetworkConfig
{
    public required string Name { get; init; }
    public string? Driver { get; init; }
    public IReadOnlyDictionary<string, string> DriverOpts { get; init; } = new Dictionary<string, string>();
    public bool External { get; init; }
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public bool EnableIpv6 { get; init; }
    public IpamConfig? Ipam { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

public sealed record IpamConfig
{
    public string? Driver { get; init; }
    public IReadOnlyList<IpamPool> Config { get; init; } = [];
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}

public sealed record IpamPool
{
    public string? Subnet { get; init; }
    public string? Gateway { get; init; }
    public string? IpRange { get; init; }
    public IReadOnlyDictionary<string, string> AuxAddresses { get; init; } = new Dictionary<string, string>();
}

/// <summary>A top-level volume. Name is the engine's name: <c>{project}_{key}</c> unless set, or external.</summary>
public sealed record VolumeConfig
{
    public required string Name { get; init; }
    public string? Driver { get; init; }
    public IReadOnlyDictionary<string, string> DriverOpts { get; init; } = new Dictionary<string, string>();
    public bool External { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A top-level secret or config. Without swarm, Compose bind-mounts the file read-only into the container
/// (secrets under /run/secrets/, configs at /{name}); <c>environment</c> and <c>content</c> sources are written to a
/// file first.
/// </summary>
public sealed record FileObjectConfig
{
    public required string Name { get; init; }
    /// <summary>Absolute path of the source file, when the object comes from a file.</summary>
    public string? File { get; init; }
    /// <summary>The variable whose value is the content, when the object comes from the environment.</summary>
    public string? Environment { get; init; }
    /// <summary>Inline content (configs only).</summary>
    public string? Content { get; init; }
    public bool External { get; init; }
}
