using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Engine.Plugins;

// The JSON bodies of Docker's legacy plugin protocol (Plugin.Activate and the VolumeDriver methods), with Docker's names.

public sealed class EmptyPluginRequest;

public sealed class ActivateAnswer : IPluginAnswer
{
    public List<string>? Implements { get; set; }
    public string? Err { get; set; }
}

public sealed class VolumeNameRequest
{
    public required string Name { get; set; }
}

public sealed class VolumeCreateRequest
{
    public required string Name { get; set; }
    public Dictionary<string, string>? Opts { get; set; }
}

/// <summary>Mount and Unmount name the use: one ID per container mount, so a plugin can count its users.</summary>
public sealed class VolumeMountRequest
{
    public required string Name { get; set; }
    public required string ID { get; set; }
}

public sealed class VolumeErrAnswer : IPluginAnswer
{
    public string? Err { get; set; }
}

public sealed class VolumeMountpointAnswer : IPluginAnswer
{
    public string? Mountpoint { get; set; }
    public string? Err { get; set; }
}

public sealed class PluginVolume
{
    public string Name { get; set; } = "";
    public string? Mountpoint { get; set; }
    public string? CreatedAt { get; set; }
    public Dictionary<string, JsonElement>? Status { get; set; }
}

public sealed class VolumeGetAnswer : IPluginAnswer
{
    public PluginVolume? Volume { get; set; }
    public string? Err { get; set; }
}

public sealed class VolumeListAnswer : IPluginAnswer
{
    public List<PluginVolume>? Volumes { get; set; }
    public string? Err { get; set; }
}

public sealed class VolumeCapabilities
{
    public string? Scope { get; set; }
}

public sealed class VolumeCapabilitiesAnswer : IPluginAnswer
{
    public VolumeCapabilities? Capabilities { get; set; }
    public string? Err { get; set; }
}

[JsonSerializable(typeof(EmptyPluginRequest))]
[JsonSerializable(typeof(ActivateAnswer))]
[JsonSerializable(typeof(VolumeNameRequest))]
[JsonSerializable(typeof(VolumeCreateRequest))]
[JsonSerializable(typeof(VolumeMountRequest))]
[JsonSerializable(typeof(VolumeErrAnswer))]
[JsonSerializable(typeof(VolumeMountpointAnswer))]
[JsonSerializable(typeof(VolumeGetAnswer))]
[JsonSerializable(typeof(VolumeListAnswer))]
[JsonSerializable(typeof(VolumeCapabilitiesAnswer))]
// Docker's Go decoders match field names case-insensitively; plugins written by hand send "mountpoint" too.
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class PluginJsonContext : JsonSerializerContext;
