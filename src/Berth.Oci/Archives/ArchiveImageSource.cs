using Berth.Oci.Digests;

namespace Berth.Oci.Archives;

/// <summary>An image to write into an archive: its config bytes (written as-is), tags ("name:tag"), and layers, base first.</summary>
public sealed record ArchiveImageSource(byte[] ConfigJson, IReadOnlyList<string> RepoTags, IReadOnlyList<ArchiveLayerSource> Layers);

/// <summary>
/// A layer to write: its diff ID, and a way to open its uncompressed tar. Give <paramref name="Size"/> when known
/// (e.g. AppliedLayer.UncompressedSize): a tar entry's size precedes its data, so a stream of unknown length that
/// cannot seek is first copied to a temporary file. The content is checked against the diff ID while written.
/// </summary>
public sealed record ArchiveLayerSource(Digest DiffId, Func<CancellationToken, Task<Stream>> OpenAsync, long? Size = null);
