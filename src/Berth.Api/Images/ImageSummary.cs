using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>One item of GET /images/json.</summary>
public sealed class ImageSummary
{
    /// <summary>Number of containers using the image; -1 when not computed (the list endpoint).</summary>
    public long Containers { get; set; } = -1;

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    public string Id { get; set; } = "";

    public Dictionary<string, string>? Labels { get; set; }

    public string ParentId { get; set; } = "";

    public List<string>? RepoDigests { get; set; }

    public List<string>? RepoTags { get; set; }

    /// <summary>-1 when not computed.</summary>
    public long SharedSize { get; set; } = -1;

    public long Size { get; set; }

    /// <summary>
    /// Removed in API 1.44 (always equal to Size). The 20.10 reference (API 1.41) emits it; berthd sets it only when
    /// the request's API version is below <see cref="ApiVersions.VirtualSizeRemoved"/>, and leaves it null (omitted) otherwise.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? VirtualSize { get; set; }
}
