using System.Text.Json.Serialization;
using Berth.Api.Json;

namespace Berth.Api;

/// <summary>
/// Docker's container.HostConfig (the non-portable part of a container), Resources inlined through the base class.
/// Null and empty values are emitted as the reference daemon does: lists such as CapAdd, Links, SecurityOpt are null
/// when unset, Dns/DnsOptions/DnsSearch are [] after create.
/// </summary>
public sealed class HostConfig : Resources
{
    public List<string>? Binds { get; set; }

    public string ContainerIDFile { get; set; } = "";

    public LogConfig LogConfig { get; set; } = new();

    /// <summary>"default", "bridge", "host", "none", "container:&lt;id&gt;" or a network name.</summary>
    public string NetworkMode { get; set; } = "";

    /// <summary>"80/tcp" → bindings. A null list means "exposed but not published".</summary>
    public Dictionary<string, List<PortBinding>?>? PortBindings { get; set; }

    public RestartPolicy RestartPolicy { get; set; } = new();

    public bool AutoRemove { get; set; }

    public string VolumeDriver { get; set; } = "";

    public List<string>? VolumesFrom { get; set; }

    /// <summary>[height, width] of the TTY at creation.</summary>
    public long[]? ConsoleSize { get; set; } = [0, 0];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? CapAdd { get; set; }

    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? CapDrop { get; set; }

    /// <summary>"private" or "host" (empty = daemon default).</summary>
    public string CgroupnsMode { get; set; } = "";

    public List<string>? Dns { get; set; }

    public List<string>? DnsOptions { get; set; }

    public List<string>? DnsSearch { get; set; }

    public List<string>? ExtraHosts { get; set; }

    public List<string>? GroupAdd { get; set; }

    public string IpcMode { get; set; } = "";

    public string Cgroup { get; set; } = "";

    public List<string>? Links { get; set; }

    public int OomScoreAdj { get; set; }

    public string PidMode { get; set; } = "";

    public bool Privileged { get; set; }

    public bool PublishAllPorts { get; set; }

    public bool ReadonlyRootfs { get; set; }

    public List<string>? SecurityOpt { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? StorageOpt { get; set; }

    /// <summary>Container path → mount options ("rw,size=64m").</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Tmpfs { get; set; }

    public string UTSMode { get; set; } = "";

    public string UsernsMode { get; set; } = "";

    public long ShmSize { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Sysctls { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Runtime { get; set; }

    public string Isolation { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<Mount>? Mounts { get; set; }

    public List<string>? MaskedPaths { get; set; }

    public List<string>? ReadonlyPaths { get; set; }

    /// <summary>Run an init process (docker-init) as PID 1; null = daemon default.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Init { get; set; }
}

public sealed class LogConfig
{
    public string Type { get; set; } = "";

    public Dictionary<string, string>? Config { get; set; } = [];
}

public sealed class RestartPolicy
{
    /// <summary>"", "no", "always", "unless-stopped" or "on-failure".</summary>
    public string Name { get; set; } = "";

    public int MaximumRetryCount { get; set; }
}
