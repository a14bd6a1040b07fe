using Berth.Oci.Content;
using Berth.Oci.Digests;

namespace Berth.Engine.Distribution.Blobs;

/// <summary>What one pull hears of a shared download: bytes received so far, and status lines such as a retry's countdown.</summary>
public sealed record DownloadListener(Action<long> OnBytes, Action<string> OnStatus);

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
    /// <param name="start">The download; it reports bytes and status lines ("Retrying in 5 seconds") through the callbacks it is given.</param>
    /// <param name="listener">This caller's progress callbacks (bytes so far, status lines); a caller that joins late hears the latest.</param>
    public async Task<BlobInfo> GetAsync(IContentStore store, Digest digest, Func<DownloadListener, CancellationToken, Task<BlobInfo>> start, DownloadListener listener, CancellationToken cancellationToken)
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
            entry.Listeners.Add(listener);
            if (entry.Status is { } status) listener.OnStatus(status);
            else if (entry.Bytes > 0) listener.OnBytes(entry.Bytes);
        }
        try
        {
            return await entry.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                entry.Listeners.Remove(listener);
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

    private async Task<BlobInfo> RunAsync((IContentStore, Digest) key, Entry entry, Func<DownloadListener, CancellationToken, Task<BlobInfo>> start)
    {
        await Task.Yield(); // leave the lock before the download starts
        try
        {
            var everyone = new DownloadListener(
                bytes => Broadcast(entry, e => (e.Bytes, e.Status) = (bytes, null), l => l.OnBytes(bytes)),
                status => Broadcast(entry, e => e.Status = status, l => l.OnStatus(status)));
            return await start(everyone, entry.Cancellation.Token);
        }
        finally
        {
            lock (_gate)
            {
                if (_active.TryGetValue(key, out var current) && current == entry) _active.Remove(key);
            }
        }
    }

    /// <summary>Records the latest progress in <paramref name="entry"/> and passes it on to every pull waiting for it.</summary>
    private void Broadcast(Entry entry, Action<Entry> remember, Action<DownloadListener> tell)
    {
        DownloadListener[] listeners;
        lock (_gate)
        {
            remember(entry);
            listeners = [.. entry.Listeners];
        }
        foreach (var listener in listeners) tell(listener);
    }

    private sealed class Entry
    {
        public readonly List<DownloadListener> Listeners = [];
        public readonly CancellationTokenSource Cancellation = new();
        public Task<BlobInfo> Task = null!;
        public long Bytes;

        /// <summary>The latest status line (a retry's countdown), until bytes flow again.</summary>
        public string? Status;
    }
}
