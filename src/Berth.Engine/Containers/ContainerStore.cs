using System.Security.Cryptography;
using System.Text.Json;
using Berth.Engine.Metadata;
using Berth.Oci.Content;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

/// <summary>
/// Container records on disk (<c>root/&lt;id&gt;/container.json</c>, written atomically) and in memory, with the name
/// index. Lookups accept a full ID, a name (with or without the leading slash) or a unique ID prefix, as Docker does.
/// </summary>
public sealed class ContainerStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ContainerRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecordFile> _files = new(StringComparer.Ordinal);

    /// <summary>
    /// One container.json: its lock orders the writes of one container (without holding up lookups or other
    /// containers' writes during a disk flush) and it remembers what was last written, so an unchanged record is not
    /// written (and flushed) again.
    /// </summary>
    private sealed class RecordFile
    {
        public byte[]? WrittenHash;
        public bool Deleted;
    }

    public ContainerStore(string root)
    {
        Root = root;
        Directory.CreateDirectory(root);
        SpreadSubdirectories.Request(root);
    }

    public string Root { get; }

    public string DirOf(string id) => Path.Combine(Root, id);

    /// <summary>Loads every container; directories without a readable record are half-made creates and are removed.</summary>
    public IReadOnlyList<ContainerRecord> Load()
    {
        lock (_gate)
        {
            foreach (var dir in Directory.EnumerateDirectories(Root))
            {
                AtomicFile.RemoveLeftovers(dir);
                var record = JsonFiles.Read(Path.Combine(dir, "container.json"), ContainerJsonContext.Default.ContainerRecord);
                if (record is null || record.Id != Path.GetFileName(dir))
                {
                    Directory.Delete(dir, recursive: true);
                    continue;
                }
                _byId[record.Id] = record;
                _idByName[record.Name] = record.Id;
                _files[record.Id] = new RecordFile();
            }
            return _byId.Values.ToList();
        }
    }

    /// <summary>Reserves the name and writes the record; 409 when the name is taken.</summary>
    public void Add(ContainerRecord record)
    {
        lock (_gate)
        {
            if (_idByName.TryGetValue(record.Name, out var owner))
                throw NameConflict(record.Name, owner);
            Directory.CreateDirectory(DirOf(record.Id));
            var file = new RecordFile();
            Write(record, file);
            _byId[record.Id] = record;
            _idByName[record.Name] = record.Id;
            _files[record.Id] = file;
        }
    }

    public bool NameTaken(string name)
    {
        lock (_gate) return _idByName.ContainsKey(name);
    }

    private static BerthException NameConflict(string name, string owner) =>
        BerthException.Conflict($"Conflict. The container name \"{name}\" is already in use by container \"{owner}\". You have to remove (or rename) that container to be able to reuse that name.");

    /// <summary>
    /// Persists the record after its state or config changed. Nothing is written when the record is as last written,
    /// or while the container is being removed (its record goes with it; a removal cut short by a crash leaves the
    /// record as it was before, which a second rm removes).
    /// </summary>
    public void Save(ContainerRecord record)
    {
        RecordFile? file;
        lock (_gate)
        {
            if (!_byId.ContainsKey(record.Id) || !_files.TryGetValue(record.Id, out file)) return;
        }
        if (record.State.RemovalInProgress) return;
        lock (file)
        {
            if (!file.Deleted) Write(record, file);
        }
    }

    private void Write(ContainerRecord record, RecordFile file)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(record, ContainerJsonContext.Default.ContainerRecord);
        byte[] hash = SHA256.HashData(json);
        if (file.WrittenHash is not null && hash.AsSpan().SequenceEqual(file.WrittenHash)) return;
        SwappedFile.WriteAllBytes(Path.Combine(DirOf(record.Id), "container.json"), json);
        file.WrittenHash = hash;
    }

    public void Rename(ContainerRecord record, string newName)
    {
        lock (_gate)
        {
            if (_idByName.TryGetValue(newName, out var owner)) throw NameConflict(newName, owner);
            _idByName.Remove(record.Name);
            record.Name = newName;
            _idByName[newName] = record.Id;
            var file = _files[record.Id];
            lock (file) Write(record, file);
        }
    }

    /// <summary>Forgets the container and deletes its directory (its log, config and writable layer).</summary>
    public void Remove(ContainerRecord record)
    {
        RecordFile? file;
        lock (_gate)
        {
            _byId.Remove(record.Id);
            _idByName.Remove(record.Name);
            _files.Remove(record.Id, out file);
        }
        file ??= new RecordFile();
        lock (file)
        {
            file.Deleted = true;
            string dir = DirOf(record.Id);
            if (Directory.Exists(dir))
            {
                // Drop the record file first: a crash during the recursive delete then leaves a directory that Load removes.
                File.Delete(Path.Combine(dir, "container.json"));
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    public ContainerRecord Get(string idOrName) =>
        TryGet(idOrName) ?? throw BerthException.NotFound($"No such container: {idOrName}");

    public ContainerRecord? TryGet(string idOrName)
    {
        if (string.IsNullOrEmpty(idOrName)) return null;
        lock (_gate)
        {
            if (_byId.TryGetValue(idOrName, out var byId)) return byId;
            string name = idOrName.StartsWith('/') ? idOrName : "/" + idOrName;
            if (_idByName.TryGetValue(name, out var id)) return _byId[id];
            if (!idOrName.All(char.IsAsciiHexDigitLower)) return null;
            ContainerRecord? match = null;
            foreach (var (key, record) in _byId)
            {
                if (!key.StartsWith(idOrName, StringComparison.Ordinal)) continue;
                if (match is not null) throw BerthException.Invalid($"multiple IDs found with provided prefix: {idOrName}");
                match = record;
            }
            return match;
        }
    }

    public IReadOnlyList<ContainerRecord> List()
    {
        lock (_gate) return _byId.Values.OrderByDescending(c => c.Created).ToList();
    }
}
