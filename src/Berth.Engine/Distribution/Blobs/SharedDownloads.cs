using Berth.Oci.Content;
using Berth.Oci.Digests;

namespace Berth.Engine.Distribution.Blobs;

/// <summary>
/// The per-digest table of downloads in flight, shared by all pulls: a second pull wanting a blob that is already
/// coming waits for that download (and sees its progress) instead of fetching it again. The download is cancelled
/// only when every pull waiting for it has given up. Downloads are shared per content store and digest.
/// </summary>
public sealed class SharedDownloads
{
    private readonly object _gate = new();
    private readonly Dictionary<(IContentStore Store, Digest Digest), Entry> _active = new();

    /// <summary>Joins the download of <paramref name="digest"/>, starting it with <paramref name="start"/> when none runs.</summary>
    /// <param name="start">The download; it reports bytes through the callback it is given.</param>
    /// <param name="onBytes">This caller's progress callback (receives bytes so far).</param>
    public async Task<BlobInfo> GetAsync(IContentStore store, Digest digest, Func<Action<long>, CancellationToken, Task<BlobInfo>> start, Action<long> onBytes, CancellationToken cancellationToken)
    {
        var key = (store, digest);
        Entry entry;
        lock (_gate)
        {
            if (!_active.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                _active[key] = entry;
                entry.Task = RunAsync(key, entry, start);
            }
            entry.Listeners.Add(onBytes);
            if (entry.Bytes > 0) onBytes(entry.Bytes);
        }
        try
        {
            return await entry.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                entry.Listeners.Remove(onBytes);
                if (entry.Listeners.Count == 0 && !entry.Task.IsCompleted)
                {
                    entry.Cancellation.Cancel();
                    if (_active.TryGetValue(key, out var current) && current == entry) _active.Remove(key);
                }
            }
        }
    }

    /// <summary>How many downloads are running (for tests and diagnostics).</summary>
    public int ActiveCount
    {
        get { lock (_gate) return _active.Count; }
    }

    private async Task<BlobInfo> RunAsync((IContentStore, Digest) key, Entry entry, Func<Action<long>, CancellationToken, Task<BlobInfo>> start)
    {
        await Task.Yield(); // leave the lock before the download starts
        try
        {
            return await start(bytes =>
            {
                Action<long>[] listeners;
                lock (_gate)
                {
                    entry.Bytes = bytes;
                    listeners = [.. entry.Listeners];
                }
                foreach (var listener in listeners) listener(bytes);
            }, entry.Cancellation.Token);
        }
        finally
        {
            lock (_gate)
            {
                if (_active.TryGetValue(key, out var current) && current == entry) _active.Remove(key);
            }
        }
    }

    private sealed class Entry
    {
        public readonly List<Action<long>> Listeners = [];
        public readonly CancellationTokenSource Cancellation = new();
        public Task<BlobInfo> Task = null!;
        public long Bytes;
    }
}
