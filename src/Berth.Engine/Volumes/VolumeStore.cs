using Berth.Engine.Metadata;
using Berth.Engine.Runtime.Mounts;
using Berth.Oci.Content;
using Berth.Oci.Errors;

namespace Berth.Engine.Volumes;

/// <summary>
/// Volumes on disk as dockerd lays them out: <c>root/&lt;name&gt;/_data</c> holds the data, <c>volume.json</c> beside it the
/// metadata (written atomically, and last at create, so a directory without it is a half-made volume).
/// </summary>
public sealed class VolumeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, VolumeRecord> _byName = new(StringComparer.Ordinal);

    public VolumeStore(string root)
    {
        Root = root;
        Directory.CreateDirectory(root);
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            AtomicFile.RemoveLeftovers(dir);
            var record = JsonFiles.Read(Path.Combine(dir, "volume.json"), VolumeJsonContext.Default.VolumeRecord);
            if (record is null || record.Name != Path.GetFileName(dir)) continue; // half-made: left for inspection, never listed
            _byName[record.Name] = record;
        }
    }

    public string Root { get; }

    public string DirOf(string name) => Path.Combine(Root, name);

    public string DataDirOf(string name) => Path.Combine(Root, name, "_data");

    public VolumeRecord? TryGet(string name)
    {
        lock (_gate) return _byName.GetValueOrDefault(name);
    }

    public VolumeRecord Get(string name) => TryGet(name) ?? throw BerthException.NotFound($"get {name}: no such volume");

    public IReadOnlyList<VolumeRecord> List()
    {
        lock (_gate) return _byName.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Adds the volume unless one of that name exists; returns the one that is kept and whether it is new.</summary>
    public (VolumeRecord Volume, bool Created) GetOrAdd(VolumeRecord record)
    {
        lock (_gate)
        {
            if (_byName.TryGetValue(record.Name, out var existing)) return (existing, false);
            // A plugin's volume keeps only its record here; the plugin holds the data.
            Directory.CreateDirectory(record.IsLocal ? DataDirOf(record.Name) : DirOf(record.Name));
            JsonFiles.Write(Path.Combine(DirOf(record.Name), "volume.json"), record, VolumeJsonContext.Default.VolumeRecord);
            _byName[record.Name] = record;
            return (record, true);
        }
    }

    /// <summary>Forgets the volume and deletes its directory; refuses when something is still mounted on its data.</summary>
    public void Remove(VolumeRecord record)
    {
        string data = DataDirOf(record.Name);
        if (MountPoints.IsMountPoint(data))
            throw BerthException.Conflict($"remove {record.Name}: volume is still mounted at {data}");
        lock (_gate)
        {
            _byName.Remove(record.Name);
            File.Delete(Path.Combine(DirOf(record.Name), "volume.json"));
        }
        if (Directory.Exists(DirOf(record.Name))) Directory.Delete(DirOf(record.Name), recursive: true);
    }
}
