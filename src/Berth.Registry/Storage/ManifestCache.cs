using System.Collections.Concurrent;
using Berth.Oci.Digests;

namespace Berth.Registry.Storage;

/// <summary>
/// Manifest bytes by digest, kept in memory because manifest GETs are the registry's hottest small request. Content
/// under a digest never changes, so entries never go stale; when the byte budget is used up the cache starts over.
/// </summary>
public sealed class ManifestCache(long budgetBytes)
{
    private readonly ConcurrentDictionary<Digest, byte[]> _entries = new();
    private long _bytes;

    public async ValueTask<byte[]?> ReadAsync(RegistryStorage storage, Digest digest, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(digest, out var cached)) return cached;
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(storage.Blobs.PathFor(digest), cancellationToken);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        if (content.Length <= budgetBytes / 16)
        {
            if (Interlocked.Add(ref _bytes, content.Length) > budgetBytes)
            {
                _entries.Clear();
                Interlocked.Exchange(ref _bytes, content.Length);
            }
            _entries[digest] = content;
        }
        return content;
    }
}
