using System.Text.Json.Serialization;

namespace Berth.Oci.Archives;

/// <summary>One image of a Docker archive's <c>manifest.json</c> (a JSON array of these).</summary>
internal sealed class ArchiveManifestEntry
{
    /// <summary>Path inside the archive of the image config.</summary>
    [JsonPropertyName("Config")] public string Config { get; set; } = "";

    /// <summary>Tags such as "busybox:latest"; null for an image saved by ID.</summary>
    [JsonPropertyName("RepoTags")] public List<string>? RepoTags { get; set; }

    /// <summary>Paths inside the archive of the layer tars, base layer first.</summary>
    [JsonPropertyName("Layers")] public List<string> Layers { get; set; } = [];
}

/// <summary>The part of an image config the archive code reads: the layers' diff IDs.</summary>
internal sealed class ImageConfigRootFs
{
    [JsonPropertyName("rootfs")] public RootFsSection? RootFs { get; set; }

    internal sealed class RootFsSection
    {
        [JsonPropertyName("type")] public string Type { get; set; } = "";
        [JsonPropertyName("diff_ids")] public List<string>? DiffIds { get; set; }
    }
}
