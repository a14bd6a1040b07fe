namespace Berth.Registry.Distribution;

/// <summary>What the registry needs to know of a manifest: its type, what it references, and what it is about.</summary>
public sealed record ParsedManifest(
    string MediaType,
    Descriptor? Config,
    IReadOnlyList<Descriptor> Layers,
    IReadOnlyList<Descriptor> Manifests,
    Descriptor? Subject,
    string? ArtifactType,
    string? AnnotationsJson)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>The artifact type a referrers index shows for this manifest (the spec falls back to config.mediaType).</summary>
    public string? EffectiveArtifactType => ArtifactType ?? (IsIndex ? null : Config?.MediaType);
}
