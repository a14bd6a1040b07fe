using System.Collections.Concurrent;
using Berth.Oci.Errors;

namespace Berth.Oci.Content;

/// <summary>
/// Blob uploads that span several requests (and survive a restart): each session is a directory
/// <c>area/&lt;id&gt;/</c> holding the bytes received so far and a small info file naming its owner. A session becomes a
/// blob only through <see cref="BlobUpload.CommitAsync"/>, which verifies the digest before the rename into the store,
/// so nothing half-written is ever visible as a blob. The area must be on the store's filesystem (renames, not copies).
/// </summary>
public sealed class BlobUploadArea
{
    private readonly ConcurrentDictionary<string, BlobUpload> _open = new(StringComparer.Ordinal);

    public BlobUploadArea(string directory, FileContentStore store)
    {
        Directory = directory;
        Store = store;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }
    public FileContentStore Store { get; }

    /// <summary>Sessions held in memory right now (the rest live only on disk until touched).</summary>
    public int OpenCount => _open.Count;

    public BlobUpload Create(string owner)
    {
        string id = Guid.NewGuid().ToString("N");
        string dir = Path.Combine(Directory, id);
        System.IO.Directory.CreateDirectory(dir);
        var startedAt = DateTimeOffset.UtcNow;
        File.WriteAllText(Path.Combine(dir, BlobUpload.InfoFile), $"{owner}\n{startedAt.ToUnixTimeMilliseconds()}\n");
        File.Create(Path.Combine(dir, BlobUpload.DataFile)).Dispose();
        var upload = new BlobUpload(this, id, owner, startedAt, hashedSoFar: true);
        _open[id] = upload;
        return upload;
    }

    /// <summary>The session with this id, or null when there is none (or the id is malformed).</summary>
    public BlobUpload? Find(string id)
    {
        if (!IsWellFormedId(id)) return null;
        if (_open.TryGetValue(id, out var open)) return open.IsClosed ? null : open;
        string dir = Path.Combine(Directory, id);
        string info = Path.Combine(dir, BlobUpload.InfoFile);
        string[] lines;
        try { lines = File.ReadAllLines(info); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        if (lines.Length < 2 || !long.TryParse(lines[1], out long ms)) return null;
        // Known only from disk (e.g. after a restart): the running hash is gone, commit re-reads the data.
        var loaded = new BlobUpload(this, id, lines[0], DateTimeOffset.FromUnixTimeMilliseconds(ms), hashedSoFar: false);
        return _open.GetOrAdd(id, loaded);
    }

    /// <summary>Removes sessions started before <paramref name="cutoff"/>; returns how many went.</summary>
    public int PurgeStartedBefore(DateTimeOffset cutoff)
    {
        int purged = 0;
        foreach (var dir in System.IO.Directory.EnumerateDirectories(Directory))
        {
            var upload = Find(Path.GetFileName(dir));
            if (upload is null)
            {
                // An info file never got written: the process died inside Create.
                if (System.IO.Directory.GetCreationTimeUtc(dir) < cutoff.UtcDateTime) { TryDeleteDirectory(dir); purged++; }
                continue;
            }
            if (upload.StartedAt < cutoff) { upload.Cancel(); purged++; }
        }
        return purged;
    }

    public IEnumerable<string> ListIds()
    {
        foreach (var dir in System.IO.Directory.EnumerateDirectories(Directory))
        {
            string id = Path.GetFileName(dir);
            if (IsWellFormedId(id)) yield return id;
        }
    }

    internal void Forget(BlobUpload upload)
    {
        _open.TryRemove(new KeyValuePair<string, BlobUpload>(upload.Id, upload));
        TryDeleteDirectory(Path.Combine(Directory, upload.Id));
    }

    internal static void TryDeleteDirectory(string dir)
    {
        try { System.IO.Directory.Delete(dir, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
    }

    private static bool IsWellFormedId(string id)
    {
        if (id.Length != 32) return false;
        foreach (char c in id)
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        return true;
    }

    internal static BerthException Unknown(string id) => BerthException.NotFound($"blob upload {id}: unknown");
}
