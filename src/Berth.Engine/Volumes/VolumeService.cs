using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Runtime.Mounts;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Volumes;

/// <summary>
/// The <c>local</c> volume driver (and volume plugins, VolumeService.Plugins.cs) and its store: create (idempotent by name), inspect, list, remove (409 while a
/// container, running or not, refers to it), prune, and the mounts of volumes with driver options, made when the first
/// running container needs them and undone after the last one stops. References come from the container records
/// themselves, so they survive a daemon restart without bookkeeping of their own.
/// </summary>
public sealed partial class VolumeService
{
    private readonly VolumeStore _store;
    private readonly ContainerStore _containers;
    private readonly EventBus _events;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // Which (container, destination) pairs hold each volume mounted; a volume with driver options is mounted while any do.
    private readonly Dictionary<string, HashSet<(string Container, string Destination)>> _active = new(StringComparer.Ordinal);

    public VolumeService(string root, ContainerStore containers, EventBus events, ILogger logger)
    {
        _store = new VolumeStore(root);
        _containers = containers;
        _events = events;
        _logger = logger;
    }

    public VolumeStore Store => _store;

    public string DataDirOf(string name) => _store.DataDirOf(name);

    /// <summary>POST /volumes/create: an existing volume of that name is returned as it is.</summary>
    public async Task<(VolumeRecord Volume, bool Created)> CreateAsync(string? name, string? driver, Dictionary<string, string>? options, Dictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        name = string.IsNullOrEmpty(name) ? VolumeNames.NewAnonymous() : name;
        if (!string.IsNullOrEmpty(driver) && driver != "local") return await CreateOnPluginAsync(name, driver, options, labels, cancellationToken);
        VolumeNames.Validate(name);
        if (_store.TryGet(name) is { } existing) return (CheckSameDriver(existing, driver), false);
        LocalDriverOptions.Validate(name, options);
        var result = _store.GetOrAdd(new VolumeRecord
        {
            Name = name,
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            Labels = labels is null ? null : new Dictionary<string, string>(labels, StringComparer.Ordinal),
            Options = options is null ? null : new Dictionary<string, string>(options, StringComparer.Ordinal),
        });
        if (result.Created) _events.Publish("volume", "create", name, new Dictionary<string, string> { ["driver"] = "local" });
        return result;
    }

    /// <summary>An existing volume asked for with a driver (none given means any): it must be that driver's.</summary>
    private static VolumeRecord CheckSameDriver(VolumeRecord existing, string? driver)
    {
        if (!string.IsNullOrEmpty(driver) && driver != existing.Driver)
            throw BerthException.Conflict($"create {existing.Name}: driver '{existing.Driver}' already has volume '{existing.Name}': volume name must be unique");
        return existing;
    }

    public VolumeRecord Get(string name) => _store.Get(name);

    public IReadOnlyList<VolumeRecord> List() => _store.List();

    /// <summary>IDs of the containers (running or not) whose mounts name the volume.</summary>
    public List<string> UsersOf(string name) =>
        _containers.List().Where(c => c.MountPoints?.Any(m => m.IsVolume && m.Name == name) == true).Select(c => c.Id).ToList();

    /// <summary>Names of the volumes some container (running or not) refers to.</summary>
    public HashSet<string> UsedNames() =>
        _containers.List().SelectMany(c => c.MountPoints ?? []).Where(m => m.IsVolume).Select(m => m.Name!).ToHashSet(StringComparer.Ordinal);

    /// <summary>DELETE /volumes/{name}: 409 while in use, even with force; force makes a missing volume no error.</summary>
    public async Task RemoveAsync(string name, bool force, CancellationToken cancellationToken)
    {
        var volume = _store.TryGet(name);
        if (volume is null)
        {
            if (force) return;
            throw BerthException.NotFound($"get {name}: no such volume");
        }
        var users = UsersOf(name);
        if (users.Count > 0) throw BerthException.Conflict($"remove {name}: volume is in use - [{string.Join(", ", users)}]");
        if (!volume.IsLocal) await RemoveOnPluginAsync(volume, force, cancellationToken);
        lock (_gate)
        {
            if (volume.HasMountOptions && !_active.ContainsKey(name)) LocalDriverOptions.Unmount(_store.DataDirOf(name));
            _store.Remove(volume);
        }
        _events.Publish("volume", "destroy", name, new Dictionary<string, string> { ["driver"] = volume.Driver });
    }

    /// <summary>POST /volumes/prune: removes the unused volumes <paramref name="filter"/> selects; returns them and the bytes freed.</summary>
    public async Task<(List<string> Deleted, long Reclaimed)> PruneAsync(Func<VolumeRecord, bool> filter, CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        long reclaimed = 0;
        var used = UsedNames();
        foreach (var volume in _store.List().Where(v => !used.Contains(v.Name) && filter(v)))
        {
            // A plugin's data is not berthd's to measure, nor a mounted device's.
            long size = volume.HasMountOptions || !volume.IsLocal ? 0 : SizeOf(_store.DataDirOf(volume.Name));
            try
            {
                await RemoveAsync(volume.Name, force: false, cancellationToken);
                deleted.Add(volume.Name);
                reclaimed += size;
            }
            catch (BerthException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.NotFound)
            {
                // Taken by a container meanwhile, or removed by someone else: not pruned.
            }
        }
        return (deleted, reclaimed);
    }

    /// <summary>Bytes in the volume's data (what /system/df and prune report); -1 when it can't be read.</summary>
    public static long SizeOf(string dir)
    {
        try
        {
            return new DirectoryInfo(dir).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true })
                .Sum(f => f.LinkTarget is null ? f.Length : 0);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>
    /// After a daemon restart, before containers are recovered: volumes still mounted for running containers stay
    /// mounted and counted; mounts left behind by containers that are gone are undone.
    /// </summary>
    public void Recover()
    {
        lock (_gate)
        {
            _active.Clear();
            foreach (var container in _containers.List().Where(c => c.State.Running))
                foreach (var mount in (container.MountPoints ?? []).Where(m => m.IsVolume))
                    ActiveOf(mount.Name!).Add((container.Id, mount.Destination));
            foreach (var volume in _store.List().Where(v => v.HasMountOptions && !_active.ContainsKey(v.Name)))
                if (MountPoints.IsMountPoint(_store.DataDirOf(volume.Name))) LocalDriverOptions.Unmount(_store.DataDirOf(volume.Name));
        }
    }

    private HashSet<(string, string)> ActiveOf(string name)
    {
        if (!_active.TryGetValue(name, out var set)) _active[name] = set = [];
        return set;
    }
}
