using Berth.Engine.Metadata;
using Berth.Oci.Content;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks;

/// <summary>
/// Network records on disk (<c>root/&lt;id&gt;.json</c>, written atomically) and in memory. Lookups accept a full ID, a
/// name or a unique ID prefix, in dockerd's order (ID, then name, then prefix).
/// </summary>
public sealed class NetworkStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, NetworkRecord> _byId = new(StringComparer.Ordinal);

    public NetworkStore(string root)
    {
        Root = root;
        Directory.CreateDirectory(root);
        AtomicFile.RemoveLeftovers(root);
        foreach (var file in Directory.EnumerateFiles(root, "*.json"))
        {
            var record = JsonFiles.Read(file, NetworkJsonContext.Default.NetworkRecord);
            if (record is null || record.Id != Path.GetFileNameWithoutExtension(file))
            {
                File.Delete(file);
                continue;
            }
            _byId[record.Id] = record;
        }
    }

    public string Root { get; }

    public void Add(NetworkRecord record)
    {
        lock (_gate)
        {
            if (_byId.Values.Any(n => n.Name == record.Name))
                throw BerthException.Conflict($"network with name {record.Name} already exists");
            JsonFiles.Write(PathOf(record.Id), record, NetworkJsonContext.Default.NetworkRecord);
            _byId[record.Id] = record;
        }
    }

    public void Remove(NetworkRecord record)
    {
        lock (_gate)
        {
            _byId.Remove(record.Id);
            File.Delete(PathOf(record.Id));
        }
    }

    public NetworkRecord Get(string idOrName) =>
        TryGet(idOrName) ?? throw BerthException.NotFound($"network {idOrName} not found");

    public NetworkRecord? TryGet(string idOrName)
    {
        if (string.IsNullOrEmpty(idOrName)) return null;
        lock (_gate)
        {
            if (_byId.TryGetValue(idOrName, out var byId)) return byId;
            if (_byId.Values.FirstOrDefault(n => n.Name == idOrName) is { } byName) return byName;
            var matches = _byId.Values.Where(n => n.Id.StartsWith(idOrName, StringComparison.Ordinal)).ToList();
            if (matches.Count > 1) throw BerthException.Invalid($"network {idOrName} is ambiguous ({matches.Count} matches found based on ID prefix)");
            return matches.FirstOrDefault();
        }
    }

    public IReadOnlyList<NetworkRecord> List()
    {
        lock (_gate) return _byId.Values.OrderBy(n => n.Created).ToList();
    }

    private string PathOf(string id) => Path.Combine(Root, id + ".json");
}
