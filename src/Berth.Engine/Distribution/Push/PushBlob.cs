using Berth.Oci.Digests;

namespace Berth.Engine.Distribution.Push;

/// <summary>A blob as it goes to the registry: digest, size and the media type the manifest gives it.</summary>
public sealed record PushBlob(Digest Digest, long Size, string MediaType, string? DiffId);
