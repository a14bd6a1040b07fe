using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>A mount as reported by inspect and ps (container's "Mounts").</summary>
public sealed class MountPoint
{
    /// <summary>"bind", "volume", "tmpfs", "npipe", "cluster", "image"; omitted when empty.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    public string Source { get; set; } = "";

    public string Destination { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Driver { get; set; }

    public string Mode { get; set; } = "";

    [JsonPropertyName("RW")]
    public bool RW { get; set; }

    public string Propagation { get; set; } = "";
}
