using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>A volume as returned by GET /volumes, GET /volumes/{name} and POST /volumes/create.</summary>
public sealed class Volume
{
    /// <summary>RFC 3339 (seconds precision, as the local driver reports it); omitted when unknown.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CreatedAt { get; set; }

    public string Driver { get; set; } = "local";

    public Dictionary<string, string>? Labels { get; set; }

    public string Mountpoint { get; set; } = "";

    public string Name { get; set; } = "";

    public Dictionary<string, string>? Options { get; set; }

    /// <summary>"local" or "global".</summary>
    public string Scope { get; set; } = "local";

    /// <summary>Driver-specific status, free-form values.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, JsonElement>? Status { get; set; }

    /// <summary>Only in /system/df.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public VolumeUsageData? UsageData { get; set; }
}

/// <summary>Disk usage of a volume; -1 means "not available".</summary>
public sealed class VolumeUsageData
{
    public long RefCount { get; set; } = -1;

    public long Size { get; set; } = -1;
}

/// <summary>Body of POST /volumes/create.</summary>
public sealed class VolumeCreateRequest
{
    public string Name { get; set; } = "";

    public string Driver { get; set; } = "";

    public Dictionary<string, string>? DriverOpts { get; set; }

    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary>Reply of GET /volumes.</summary>
public sealed class VolumeListResponse
{
    public List<Volume>? Volumes { get; set; } = [];

    public List<string>? Warnings { get; set; }
}

/// <summary>Reply of POST /volumes/prune.</summary>
public sealed class VolumePruneResponse
{
    public List<string>? VolumesDeleted { get; set; }

    public long SpaceReclaimed { get; set; }
}
