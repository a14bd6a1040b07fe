using System.Collections.Concurrent;
using Berth.Oci.Digests;

namespace Berth.Registry.Storage;

/// <summary>
/// Short-lived memory of the lookups every pull repeats (tag → digest, manifest → media type, blob → size), so that
/// hot small requests cost at most one stat. This process invalidates entries on its own writes; the one-second
/// lifetime bounds how long a change made by another process (a second registry on the same root) goes unseen, and
/// a stat on each hit catches what gc removes.
/// </summary>
public sealed partial class RegistryStorage
{
    private const long LookupLifetimeMs = 1000;
    private const int LookupCapacity = 50_000;

    private readonly ConcurrentDictionary<(string Name, string Tag), (Digest Digest, long Expires)> _tagLookups = new();
    private readonly ConcurrentDictionary<(string Name, Digest Digest), (string MediaType, long Expires)> _manifestLookups = new();
    private readonly ConcurrentDictionary<(string Name, Digest Digest), (long Size, long Expires)> _blobLookups = new();

    /// <summary>The size of a blob readable in the repository (linked layer or manifest), or null.</summary>
    public long? ReadableBlobSize(string name, Digest digest)
    {
        long now = Environment.TickCount64;
        // One stat stays on a hit: gc (another process) removes blob files, and a HEAD must not outlive them.
        if (_blobLookups.TryGetValue((name, digest), out var hit) && hit.Expires > now && Blobs.Exists(digest)) return hit.Size;
        if (!IsReadable(name, digest) || Blobs.SizeOf(digest) is not { } size) return null;
        Remember(_blobLookups, (name, digest), (size, now + LookupLifetimeMs));
        return size;
    }

    private Digest? CachedResolveTag(string name, string tag, Func<Digest?> read)
    {
        long now = Environment.TickCount64;
        if (_tagLookups.TryGetValue((name, tag), out var hit) && hit.Expires > now) return hit.Digest;
        var digest = read();
        if (digest is { } d) Remember(_tagLookups, (name, tag), (d, now + LookupLifetimeMs));
        return digest;
    }

    private string? CachedMediaType(string name, Digest digest, Func<string?> read)
    {
        long now = Environment.TickCount64;
        // gc --delete-untagged removes revisions from another process: one stat confirms the cached one is still there.
        if (_manifestLookups.TryGetValue((name, digest), out var hit) && hit.Expires > now && File.Exists(RevisionLink(name, digest)))
            return hit.MediaType;
        var mediaType = read();
        if (mediaType is not null) Remember(_manifestLookups, (name, digest), (mediaType, now + LookupLifetimeMs));
        return mediaType;
    }

    private void ForgetTag(string name, string tag) => _tagLookups.TryRemove((name, tag), out _);

    private void ForgetManifest(string name, Digest digest)
    {
        _manifestLookups.TryRemove((name, digest), out _);
        _blobLookups.TryRemove((name, digest), out _);
    }

    private void ForgetBlob(string name, Digest digest) => _blobLookups.TryRemove((name, digest), out _);

    private static void Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, TValue value) where TKey : notnull
    {
        if (cache.Count >= LookupCapacity) cache.Clear();
        cache[key] = value;
    }
}
