using Berth.Oci.Digests;

namespace Berth.Oci.Layers;

/// <summary>
/// The outcome of unpacking a layer: its diff ID (sha256 of the uncompressed tar), the uncompressed tar's length,
/// and the sum of its regular files' sizes (what Docker reports as a layer's size).
/// </summary>
public sealed record AppliedLayer(Digest DiffId, long UncompressedSize, long ContentSize = 0);
