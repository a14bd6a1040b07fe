using Berth.Oci.Digests;

namespace Berth.Oci.Archives;

/// <summary>
/// One image read from an archive. <see cref="LayerPaths"/> are files inside the scratch directory, base layer
/// first, each already verified to hash (uncompressed) to the matching entry of <see cref="DiffIds"/>, which are the
/// config's rootfs.diff_ids. A layer file may be gzip or zstd compressed: <c>LayerApplier</c> accepts either.
/// </summary>
public sealed record ArchiveImage(
    byte[] ConfigJson,
    Digest ConfigDigest,
    IReadOnlyList<string> LayerPaths,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<Digest> DiffIds);

/// <summary>The images of a <c>docker save</c> archive, in manifest order.</summary>
public sealed record DockerArchive(IReadOnlyList<ArchiveImage> Images);
