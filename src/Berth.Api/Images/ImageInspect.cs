using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>Reply of GET /images/{name}/json.</summary>
public sealed class ImageInspect
{
    public string Id { get; set; } = "";

    public List<string> RepoTags { get; set; } = [];

    public List<string> RepoDigests { get; set; } = [];

    public string Parent { get; set; } = "";

    public string Comment { get; set; } = "";

    /// <summary>RFC 3339 nano; omitted when the image config has no creation time.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Created { get; set; }

    /// <summary>Removed in API 1.45; berthd sets it ("") only for older clients, as the 1.41 reference emits it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Container { get; set; }

    /// <summary>Removed in API 1.45; set only for older clients (the 1.41 reference emits an all-empty config).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ContainerConfig? ContainerConfig { get; set; }

    public string DockerVersion { get; set; } = "";

    public string Author { get; set; } = "";

    public ContainerConfig? Config { get; set; }

    public string Architecture { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; set; }

    public string Os { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsVersion { get; set; }

    public long Size { get; set; }

    /// <summary>Removed in API 1.44; set only when the request's version is older (see ImageSummary.VirtualSize).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? VirtualSize { get; set; }

    public GraphDriverData GraphDriver { get; set; } = new();

    public ImageRootFs RootFS { get; set; } = new();

    public ImageMetadata Metadata { get; set; } = new();
}

public sealed class ImageRootFs
{
    public string Type { get; set; } = "layers";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Layers { get; set; }
}

public sealed class ImageMetadata
{
    /// <summary>RFC 3339 nano of the last tag, or Go's zero time.</summary>
    public string LastTagTime { get; set; } = ApiTime.Zero;
}
