using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>One item of GET /images/{name}/history, newest first.</summary>
public sealed class ImageHistoryItem
{
    public string Comment { get; set; } = "";

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    public string CreatedBy { get; set; } = "";

    /// <summary>The image ID for layers that are images, "&lt;missing&gt;" otherwise.</summary>
    public string Id { get; set; } = "";

    public long Size { get; set; }

    public List<string>? Tags { get; set; }
}

/// <summary>One item of DELETE /images/{name}: exactly one of the two is set.</summary>
public sealed class ImageDeleteResponseItem
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Untagged { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Deleted { get; set; }
}

/// <summary>Reply of POST /images/prune.</summary>
public sealed class ImagePruneResponse
{
    public List<ImageDeleteResponseItem>? ImagesDeleted { get; set; }

    public long SpaceReclaimed { get; set; }
}

/// <summary>One item of GET /images/search.</summary>
public sealed class ImageSearchResult
{
    [JsonPropertyName("star_count")]
    public int StarCount { get; set; }

    [JsonPropertyName("is_official")]
    public bool IsOfficial { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("is_automated")]
    public bool IsAutomated { get; set; }

    [JsonPropertyName("description")]
    public string Description { get; set; } = "";
}
