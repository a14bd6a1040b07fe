using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>Reply of GET /system/df.</summary>
public sealed class SystemDfResponse
{
    public long LayersSize { get; set; }

    public List<ImageSummary>? Images { get; set; } = [];

    public List<ContainerSummary>? Containers { get; set; } = [];

    public List<Volume>? Volumes { get; set; } = [];

    public List<BuildCacheRecord>? BuildCache { get; set; }

    /// <summary>Deprecated; the reference still emits 0.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BuilderSize { get; set; }
}

/// <summary>One build cache record of /system/df.</summary>
public sealed class BuildCacheRecord
{
    [JsonPropertyName("ID")]
    public string ID { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Parents { get; set; }

    public string Type { get; set; } = "";

    public string Description { get; set; } = "";

    public bool InUse { get; set; }

    public bool Shared { get; set; }

    public long Size { get; set; }

    public string CreatedAt { get; set; } = ApiTime.Zero;

    public string? LastUsedAt { get; set; }

    public int UsageCount { get; set; }
}
