using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// The config.json of a plugin (Docker's "Plugin Config Version 1 of Plugin V2"), with the rootfs's diff IDs the
/// daemon adds. Properties in Docker's order.
/// </summary>
public sealed class PluginConfig
{
    public PluginArgs Args { get; set; } = new();

    public string Description { get; set; } = "";

    public string DockerVersion { get; set; } = "";

    public string Documentation { get; set; } = "";

    public List<string>? Entrypoint { get; set; }

    public List<PluginEnv>? Env { get; set; }

    public PluginInterface Interface { get; set; } = new();

    public bool IpcHost { get; set; }

    public PluginLinux Linux { get; set; } = new();

    public List<PluginMount>? Mounts { get; set; }

    public PluginNetwork Network { get; set; } = new();

    public bool PidHost { get; set; }

    public string PropagatedMount { get; set; } = "";

    public PluginUser User { get; set; } = new();

    public string WorkDir { get; set; } = "";

    [JsonPropertyName("rootfs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PluginRootfs? Rootfs { get; set; }
}

public sealed class PluginArgs
{
    public string Description { get; set; } = "";

    public string Name { get; set; } = "";

    public List<string>? Settable { get; set; }

    public List<string>? Value { get; set; }
}

public sealed class PluginInterface
{
    /// <summary>"moby.plugins.http/v1" when given; Docker omits it when empty.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProtocolScheme { get; set; }

    /// <summary>The socket's name in /run/docker/plugins inside the plugin ("sshfs.sock").</summary>
    public string Socket { get; set; } = "";

    /// <summary>"docker.volumedriver/1.0", "docker.networkdriver/1.0", "docker.authz/1.0", "docker.logdriver/1.0"...</summary>
    public List<string>? Types { get; set; }
}

public sealed class PluginLinux
{
    public bool AllowAllDevices { get; set; }

    /// <summary>Capabilities beyond Docker's default set ("CAP_SYS_ADMIN").</summary>
    public List<string>? Capabilities { get; set; }

    public List<PluginDevice>? Devices { get; set; }
}

public sealed class PluginNetwork
{
    /// <summary>"host", "none" or "" (a network namespace of its own, as "none").</summary>
    public string Type { get; set; } = "";
}

/// <summary>Docker omits zero ids, so a config without a user shows <c>{}</c>.</summary>
public sealed class PluginUser
{
    [JsonPropertyName("UID")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public uint Uid { get; set; }

    [JsonPropertyName("GID")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public uint Gid { get; set; }
}

public sealed class PluginRootfs
{
    [JsonPropertyName("diff_ids")]
    public List<string>? DiffIds { get; set; }

    [JsonPropertyName("type")]
    public string Type { get; set; } = "";
}
