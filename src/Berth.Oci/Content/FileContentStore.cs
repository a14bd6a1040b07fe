using System.Security.Cryptography;
using Berth.Oci.Digests;
using Berth.Oci.Errors;

namespace Berth.Oci.Content;

/// <summary>
/// Blobs as files under <c>root/blobs/&lt;alg&gt;/&lt;hex&gt;</c>. Writes go to <c>root/ingest</c> first, are hashed while
/// written, fsynced, and renamed into place only when the digest matches; a crash leaves only ingest files, which
/// <see cref="RecoverAsync"/> removes.
/// </summary>
public sealed class FileContentStore : IContentStore
{
    private readonly string _blobs;
    private readonly string _ingest;

    public FileContentStore(string root)
    {
        Root = root;
        _blobs = Path.Combine(root, "blobs");
        _ingest = Path.Combine(root, "ingest");
        Directory.CreateDirectory(Path.Combine(_blobs, "sha256"));
        Directory.CreateDirectory(_ingest);
    }

    public string Root { get; }

    /// <summary>Removes half-written ingest files left by a process that died mid-write.</summary>
    public void Recover()
    {
        foreach (var file in Directory.EnumerateFiles(_ingest)) File.Delete(file);
    }

    public Task RecoverAsync()
    {
        Recover();
        return Task.CompletedTask;
    }

    public string PathFor(Digest digest) => Path.Combine(_blobs, digest.Algorithm, digest.Hex);

    public bool Exists(Digest digest) => File.Exists(PathFor(digest));

    public long? SizeOf(Digest digest)
    {
        var info = new FileInfo(PathFor(digest));
        return info.Exists ? info.Length : null;
    }

    public string PathOf(Digest digest)
    {
        string path = PathFor(digest);
        return File.Exists(path) ? path : throw BerthException.NotFound($"blob {digest}: not found");
    }

    public Stream OpenRead(Digest digest)
    {
        try
        {
            return new FileStream(PathFor(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw BerthException.NotFound($"blob {digest}: not found");
        }
        catch (DirectoryNotFoundException)
        {
            throw BerthException.NotFound($"blob {digest}: not found");
        }
    }

    /// <summary>A fresh file in the ingest area, for callers that assemble a blob over several requests.</summary>
    public string NewIngestPath() => Path.Combine(_ingest, Guid.NewGuid().ToString("N"));

    public async Task<BlobInfo> WriteAsync(Stream content, Digest? expected, long? expectedSize, CancellationToken cancellationToken)
    {
        var algorithm = expected?.HashAlgorithm ?? HashAlgorithmName.SHA256;
        string temp = NewIngestPath();
        try
        {
            using var hash = IncrementalHash.CreateHash(algorithm);
            long size = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                byte[] buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                    if (expectedSize is { } max && size > max)
                        throw BerthException.Invalid($"blob {expected}: more than the expected {max} bytes");
                }
                file.Flush(flushToDisk: true);
            }
            var actual = Digest.FromHash(algorithm == HashAlgorithmName.SHA512 ? "sha512" : "sha256", hash.GetHashAndReset());
            if (expected is { } want && want != actual)
                throw BerthException.Invalid($"blob {want}: content hashes to {actual}");
            if (expectedSize is { } wantSize && wantSize != size)
                throw BerthException.Invalid($"blob {actual}: expected {wantSize} bytes, got {size}");
            Place(temp, actual);
            return new BlobInfo(actual, size);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<BlobInfo> WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var digest = Digest.Of(content.Span);
        if (!Exists(digest))
        {
            string temp = NewIngestPath();
            try
            {
                AtomicFile.WriteAllBytes(temp, content.Span);
                Place(temp, digest);
            }
            finally
            {
                File.Delete(temp);
            }
        }
        return Task.FromResult(new BlobInfo(digest, content.Length));
    }

    public async Task<BlobInfo> CommitFileAsync(string file, Digest expected, CancellationToken cancellationToken)
    {
        Digest actual;
        long size;
        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            size = stream.Length;
            using var hash = IncrementalHash.CreateHash(expected.HashAlgorithm);
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0) hash.AppendData(buffer, 0, read);
            actual = Digest.FromHash(expected.Algorithm, hash.GetHashAndReset());
            stream.Flush(flushToDisk: true);
        }
        if (actual != expected)
            throw BerthException.Invalid($"blob {expected}: content hashes to {actual}");
        Place(file, actual);
        return new BlobInfo(actual, size);
    }

    /// <summary>
    /// Moves a file whose digest the caller computed while writing it (e.g. <see cref="BlobUpload"/>) into the store.
    /// The file must be fsynced and on the store's filesystem. When the blob already exists the file is removed.
    /// </summary>
    public void PlaceVerifiedFile(string verifiedFile, Digest digest)
    {
        Place(verifiedFile, digest);
        if (File.Exists(verifiedFile)) File.Delete(verifiedFile);
    }

    /// <summary>Renames a verified file into place; when the blob already exists the existing one is kept.</summary>
    private void Place(string verifiedFile, Digest digest)
    {
        string target = PathFor(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target)) return;
        File.Move(verifiedFile, target, overwrite: true);
    }

    public bool Delete(Digest digest)
    {
        string path = PathFor(digest);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }

    public IEnumerable<Digest> List()
    {
        foreach (var algorithmDir in Directory.EnumerateDirectories(_blobs))
        {
            string algorithm = Path.GetFileName(algorithmDir);
            foreach (var file in Directory.EnumerateFiles(algorithmDir))
                if (Digest.TryParse($"{algorithm}:{Path.GetFileName(file)}", out var digest)) yield return digest;
        }
    }
}
