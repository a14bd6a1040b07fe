using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>POST /build/prune's answer: the build cache records removed and the bytes they held.</summary>
public sealed class BuildCachePruneResponse
{
    [JsonPropertyName("CachesDeleted")]
    public List<string>? CachesDeleted { get; set; }

    [JsonPropertyName("SpaceReclaimed")]
    public long SpaceReclaimed { get; set; }
}
