namespace Berth.Registry.Distribution;

/// <summary>
/// A content descriptor read from a manifest. Annotations are kept as their raw JSON text: the registry only passes
/// them on (in the referrers index), so it never needs them as a dictionary. <see cref="Platform"/> is an index entry's
/// <c>os/architecture</c>, when it names one.
/// </summary>
public sealed record Descriptor(string MediaType, string Digest, long Size, string? ArtifactType = null, string? AnnotationsJson = null, bool HasUrls = false, string? Platform = null);
