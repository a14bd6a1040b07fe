using Berth.Api;
using Berth.Engine.Metadata;
using Berth.Oci.Content;
using Berth.Oci.Errors;

namespace Berth.Engine.Plugins.Managed;

/// <summary>
/// Managed plugins on disk, one directory each under <c>&lt;data-root&gt;/plugins/&lt;id&gt;</c>: <c>config.json</c> (the
/// plugin's config as created), <c>rootfs/</c>, <c>propagated-mount/</c> and <c>plugin.json</c>, the record with the
/// settings and the enabled state (written atomically, and last at create, so a directory without it is half-made and
/// is removed at start). <c>blobs.json</c> names the plugin's blobs in <c>storage/</c>, the content store shared by all
/// plugins (config and rootfs layer as a registry holds them).
/// </summary>
public sealed class PluginStore
{
    public const string RecordFile = "plugin.json";
    public const string ConfigFile = "config.json";
    public const string BlobsFile = "blobs.json";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Plugin> _byId = new(StringComparer.Ordinal);
    private readonly List<string> _pinned = [];

    public PluginStore(string root)
    {
        Root = root;
        Directory.CreateDirectory(root);
        Content = new FileContentStore(Path.Combine(root, StorageName));
        Content.Recover();
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            if (Path.GetFileName(dir) is TmpName or StorageName) continue;
            AtomicFile.RemoveLeftovers(dir);
            var plugin = JsonFiles.Read(Path.Combine(dir, RecordFile), ApiJsonContext.Default.Plugin);
            if (plugin is null || plugin.Id != Path.GetFileName(dir))
            {
                Directory.Delete(dir, recursive: true);
                continue;
            }
            _byId[plugin.Id] = plugin;
        }
        if (Directory.Exists(Tmp)) Directory.Delete(Tmp, recursive: true);
    }

    private const string TmpName = "tmp";
    private const string StorageName = "storage";

    /// <summary>Config and layer blobs of every plugin (dockerd's plugins/storage).</summary>
    public FileContentStore Content { get; }

    public string Root { get; }

    /// <summary>Scratch space on the same filesystem, so an unpacked rootfs is renamed into place.</summary>
    public string Tmp => Path.Combine(Root, TmpName);

    public string DirOf(string id) => Path.Combine(Root, id);

    public string RootfsOf(string id) => Path.Combine(Root, id, "rootfs");

    public string PropagatedMountOf(string id) => Path.Combine(Root, id, "propagated-mount");

    public IReadOnlyList<Plugin> List()
    {
        lock (_gate) return _byId.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// dockerd's lookup: the full name ("x" is "x:latest", "docker.io/library/x:latest" too), then the full ID, then an
    /// unambiguous ID prefix.
    /// </summary>
    public Plugin? TryGet(string refOrId)
    {
        string? name = PluginNames.TryNormalize(refOrId);
        lock (_gate)
        {
            if (name is not null && _byId.Values.FirstOrDefault(p => p.Name == name) is { } byName) return byName;
            if (_byId.TryGetValue(refOrId, out var byId)) return byId;
            if (refOrId.Length == 0 || !refOrId.All(char.IsAsciiHexDigitLower)) return null;
            var matches = _byId.Values.Where(p => p.Id.StartsWith(refOrId, StringComparison.Ordinal)).Take(2).ToList();
            if (matches.Count > 1) throw BerthException.Invalid($"multiple plugins found with ID prefix {refOrId}");
            return matches.FirstOrDefault();
        }
    }

    public Plugin Get(string refOrId) => TryGet(refOrId) ?? throw BerthException.NotFound($"plugin \"{refOrId}\" not found");

    public bool NameTaken(string name)
    {
        lock (_gate) return _byId.Values.Any(p => p.Name == name);
    }

    /// <summary>Writes the record (atomically); a new plugin becomes visible with it.</summary>
    public void Save(Plugin plugin)
    {
        lock (_gate)
        {
            JsonFiles.Write(Path.Combine(DirOf(plugin.Id), RecordFile), plugin, ApiJsonContext.Default.Plugin);
            _byId[plugin.Id] = plugin;
        }
    }

    /// <summary>The plugin's blobs, or null for one made before berthd kept them.</summary>
    public PluginBlobs? BlobsOf(string id) => JsonFiles.Read(Path.Combine(DirOf(id), BlobsFile), PluginBlobsJsonContext.Default.PluginBlobs);

    public void SaveBlobs(string id, PluginBlobs blobs) => JsonFiles.Write(Path.Combine(DirOf(id), BlobsFile), blobs, PluginBlobsJsonContext.Default.PluginBlobs);

    /// <summary>
    /// Keeps <paramref name="digest"/> from <see cref="CollectBlobs"/> until the returned handle is disposed: a pull's
    /// blobs belong to no plugin until it is saved.
    /// </summary>
    public IDisposable Pin(string digest)
    {
        lock (_gate) _pinned.Add(digest);
        return new Unpin(this, digest);
    }

    /// <summary>Deletes the blobs no plugin names any more (after a remove or an upgrade).</summary>
    public void CollectBlobs()
    {
        HashSet<string> used;
        lock (_gate) used = _byId.Keys.SelectMany(id => BlobsOf(id)?.All ?? []).Concat(_pinned).ToHashSet(StringComparer.Ordinal);
        foreach (var digest in Content.List().ToList())
            if (!used.Contains(digest.ToString())) Content.Delete(digest);
    }

    /// <summary>Forgets the plugin (its record first, so a crash half-way leaves a half-made directory) and deletes it.</summary>
    public void Remove(Plugin plugin)
    {
        lock (_gate)
        {
            _byId.Remove(plugin.Id);
            File.Delete(Path.Combine(DirOf(plugin.Id), RecordFile));
        }
        if (Directory.Exists(DirOf(plugin.Id))) Directory.Delete(DirOf(plugin.Id), recursive: true);
    }

    private sealed class Unpin(PluginStore store, string digest) : IDisposable
    {
        public void Dispose()
        {
            lock (store._gate) store._pinned.Remove(digest);
        }
    }
}
