using System.Text.Json.Serialization;

namespace Berth.Engine.Distribution.Manifests;

/// <summary>An OCI content descriptor, as found in manifests and indexes.</summary>
public sealed class Descriptor
{
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }
    [JsonPropertyName("digest")] public string? Digest { get; set; }
    [JsonPropertyName("size")] public long Size { get; set; }
    [JsonPropertyName("urls")] public List<string>? Urls { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("platform")] public PlatformSpec? Platform { get; set; }
    [JsonPropertyName("artifactType")] public string? ArtifactType { get; set; }
}

/// <summary>
/// The fields of every manifest kind this client reads: image manifests (OCI, Docker schema 2) use config and layers,
/// indexes and manifest lists use manifests; schema 1 is recognised by schemaVersion 1 or its fsLayers.
/// </summary>
public sealed class ManifestDocument
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; set; }
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }
    [JsonPropertyName("artifactType")] public string? ArtifactType { get; set; }
    [JsonPropertyName("config")] public Descriptor? Config { get; set; }
    [JsonPropertyName("layers")] public List<Descriptor>? Layers { get; set; }
    [JsonPropertyName("manifests")] public List<Descriptor>? Manifests { get; set; }
    [JsonPropertyName("subject")] public Descriptor? Subject { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("fsLayers")] public System.Text.Json.JsonElement? FsLayers { get; set; }
}

[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(ManifestDocument))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
