using Berth.Oci.Digests;

namespace Berth.Oci.Content;

/// <summary>
/// Content-addressed blobs. A blob is visible only once its full content has been written and its digest verified;
/// the daemon (images, layers) and berth-registry share this store.
/// </summary>
public interface IContentStore
{
    bool Exists(Digest digest);

    /// <summary>The size of a committed blob, or null when it is absent.</summary>
    long? SizeOf(Digest digest);

    /// <summary>Opens a committed blob for reading; throws NotFound when absent.</summary>
    Stream OpenRead(Digest digest);

    /// <summary>The file path of a committed blob (for zero-copy serving); throws NotFound when absent.</summary>
    string PathOf(Digest digest);

    /// <summary>
    /// Copies <paramref name="content"/> into the store. When <paramref name="expected"/> is given the content must hash
    /// to it (and have <paramref name="expectedSize"/> bytes when that is given) or nothing is stored and Invalid is thrown.
    /// </summary>
    Task<BlobInfo> WriteAsync(Stream content, Digest? expected, long? expectedSize, CancellationToken cancellationToken);

    Task<BlobInfo> WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Moves an already-written file into the store after verifying it hashes to <paramref name="expected"/>.</summary>
    Task<BlobInfo> CommitFileAsync(string file, Digest expected, CancellationToken cancellationToken);

    /// <summary>Removes a blob; false when it was absent.</summary>
    bool Delete(Digest digest);

    IEnumerable<Digest> List();
}

public readonly record struct BlobInfo(Digest Digest, long Size);
