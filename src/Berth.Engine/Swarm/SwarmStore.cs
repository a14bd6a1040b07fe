using Berth.Api;
using Berth.Oci.Content;

namespace Berth.Engine.Swarm;

/// <summary>
/// The swarm's objects (cluster, this node, services, tasks, secrets, configs), in memory and under
/// <c>&lt;data-root&gt;/swarm</c>. Every change goes through an edit that clones the object, changes the clone, gives it
/// the next version, writes it and only then publishes it: objects handed out are never changed afterwards, so readers
/// may serialize them without a lock.
/// </summary>
public sealed class SwarmStore
{
    private readonly Lock _gate = new();
    private readonly string _root;
    private readonly SwarmObjectFiles<SwarmCluster> _clusterFile;
    private readonly SwarmObjectFiles<SwarmNode> _nodeFile;
    private readonly SwarmObjectFiles<SwarmService> _serviceFiles;
    private readonly SwarmObjectFiles<SwarmTask> _taskFiles;
    private readonly SwarmObjectFiles<SwarmSecret> _secretFiles;
    private readonly SwarmObjectFiles<SwarmSecret> _configFiles;
    private readonly Dictionary<string, SwarmService> _services = [];
    private readonly Dictionary<string, SwarmTask> _tasks = [];
    private readonly Dictionary<string, SwarmSecret> _secrets = [];
    private readonly Dictionary<string, SwarmSecret> _configs = [];
    private ulong _index;

    public SwarmStore(string root)
    {
        _root = root;
        var context = ApiJson.Context;
        _clusterFile = new(Path.Combine(root, "cluster"), context.SwarmCluster);
        _nodeFile = new(Path.Combine(root, "node"), context.SwarmNode);
        _serviceFiles = new(Path.Combine(root, "services"), context.SwarmService);
        _taskFiles = new(Path.Combine(root, "tasks"), context.SwarmTask);
        _secretFiles = new(Path.Combine(root, "secrets"), context.SwarmSecret, isPrivate: true);
        _configFiles = new(Path.Combine(root, "configs"), context.SwarmSecret);
        Load();
    }

    /// <summary>Where the swarm keeps files of its own (the CA key).</summary>
    public string Root => _root;

    public SwarmCluster? Cluster { get; private set; }

    public SwarmNode? Node { get; private set; }

    public bool Active => Cluster is not null && Node is not null;

    public IReadOnlyList<SwarmService> Services { get { lock (_gate) return [.. _services.Values]; } }

    public IReadOnlyList<SwarmTask> Tasks { get { lock (_gate) return [.. _tasks.Values]; } }

    public IReadOnlyList<SwarmSecret> Secrets(SwarmObjectKind kind) { lock (_gate) return [.. MapOf(kind).Values]; }

    /// <summary>A secret or config by full ID, with its data.</summary>
    public SwarmSecret? TryGetSecret(SwarmObjectKind kind, string id) { lock (_gate) return MapOf(kind).GetValueOrDefault(id); }

    public SwarmTask? TryGetTask(string id) { lock (_gate) return _tasks.GetValueOrDefault(id); }

    public SwarmService? TryGetService(string id) { lock (_gate) return _services.GetValueOrDefault(id); }

    /// <summary>Makes a new swarm: the cluster and this node, both new.</summary>
    public void Create(SwarmCluster cluster, SwarmNode node)
    {
        lock (_gate)
        {
            Stamp(cluster, created: true);
            Stamp(node, created: true);
            _clusterFile.Write("cluster", cluster);
            _nodeFile.Write("node", node);
            Cluster = cluster;
            Node = node;
        }
    }

    /// <summary>Forgets the swarm: every object and file (leaving a swarm erases its state, as in Docker).</summary>
    public void Erase()
    {
        lock (_gate)
        {
            Cluster = null;
            Node = null;
            _services.Clear();
            _tasks.Clear();
            _secrets.Clear();
            _configs.Clear();
            if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        }
    }

    public SwarmCluster EditCluster(Action<SwarmCluster> change) =>
        Edit(Cluster ?? throw SwarmErrors.NotManager(), _clusterFile, change, "cluster", edited => Cluster = edited);

    public SwarmNode EditNode(Action<SwarmNode> change) =>
        Edit(Node ?? throw SwarmErrors.NotManager(), _nodeFile, change, "node", edited => Node = edited);

    public SwarmService AddService(SwarmService service) => Add(service, service.ID, _serviceFiles, _services);

    public SwarmService EditService(SwarmService service, Action<SwarmService> change) =>
        Edit(service, _serviceFiles, change, service.ID, edited => _services[edited.ID] = edited);

    public void RemoveService(string id) => Remove(id, _serviceFiles, _services);

    public SwarmTask AddTask(SwarmTask task) => Add(task, task.ID, _taskFiles, _tasks);

    /// <summary>Edits a task as it is now (the caller's copy may be older); null when it is gone.</summary>
    public SwarmTask? EditTask(string id, Action<SwarmTask> change)
    {
        lock (_gate)
        {
            if (!_tasks.TryGetValue(id, out var current)) return null;
            return Edit(current, _taskFiles, change, id, edited => _tasks[id] = edited);
        }
    }

    public void RemoveTask(string id) => Remove(id, _taskFiles, _tasks);

    public SwarmSecret AddSecret(SwarmObjectKind kind, SwarmSecret secret) => Add(secret, secret.ID, FilesOf(kind), MapOf(kind));

    public SwarmSecret EditSecret(SwarmObjectKind kind, SwarmSecret secret, Action<SwarmSecret> change)
    {
        var map = MapOf(kind);
        return Edit(secret, FilesOf(kind), change, secret.ID, edited => map[edited.ID] = edited);
    }

    public void RemoveSecret(SwarmObjectKind kind, string id) => Remove(id, FilesOf(kind), MapOf(kind));

    private T Add<T>(T value, string id, SwarmObjectFiles<T> files, Dictionary<string, T> map) where T : class
    {
        lock (_gate)
        {
            if (!Active) throw SwarmErrors.NotManager();
            Stamp(value, created: true);
            files.Write(id, value);
            map[id] = value;
            return value;
        }
    }

    private T Edit<T>(T current, SwarmObjectFiles<T> files, Action<T> change, string id, Action<T> publish) where T : class
    {
        lock (_gate)
        {
            var edited = files.Clone(current);
            change(edited);
            Stamp(edited, created: false);
            files.Write(id, edited);
            publish(edited);
            return edited;
        }
    }

    private void Remove<T>(string id, SwarmObjectFiles<T> files, Dictionary<string, T> map) where T : class
    {
        lock (_gate)
        {
            if (map.Remove(id)) files.Delete(id);
        }
    }

    /// <summary>The next version index and the time stamps, as the swarm store keeps them for every object.</summary>
    private void Stamp(object value, bool created)
    {
        string now = ApiTime.Format(DateTimeOffset.UtcNow);
        var version = new ObjectVersion { Index = ++_index };
        switch (value)
        {
            case SwarmCluster c: c.Version = version; c.UpdatedAt = now; if (created) c.CreatedAt = now; break;
            case SwarmNode n: n.Version = version; n.UpdatedAt = now; if (created) n.CreatedAt = now; break;
            case SwarmService s: s.Version = version; s.UpdatedAt = now; if (created) s.CreatedAt = now; break;
            case SwarmTask t: t.Version = version; t.UpdatedAt = now; if (created) t.CreatedAt = now; break;
            case SwarmSecret s: s.Version = version; s.UpdatedAt = now; if (created) s.CreatedAt = now; break;
        }
    }

    private void Load()
    {
        Cluster = _clusterFile.LoadAll().FirstOrDefault();
        Node = _nodeFile.LoadAll().FirstOrDefault();
        if (!Active) return;
        foreach (var s in _serviceFiles.LoadAll()) _services[s.ID] = s;
        foreach (var t in _taskFiles.LoadAll()) _tasks[t.ID] = t;
        foreach (var s in _secretFiles.LoadAll()) _secrets[s.ID] = s;
        foreach (var c in _configFiles.LoadAll()) _configs[c.ID] = c;
        _index = new[] { Cluster!.Version.Index, Node!.Version.Index }
            .Concat(_services.Values.Select(s => s.Version.Index))
            .Concat(_tasks.Values.Select(t => t.Version.Index))
            .Concat(_secrets.Values.Select(s => s.Version.Index))
            .Concat(_configs.Values.Select(c => c.Version.Index)).Max();
    }

    private Dictionary<string, SwarmSecret> MapOf(SwarmObjectKind kind) => kind == SwarmObjectKind.Secret ? _secrets : _configs;

    private SwarmObjectFiles<SwarmSecret> FilesOf(SwarmObjectKind kind) => kind == SwarmObjectKind.Secret ? _secretFiles : _configFiles;
}

/// <summary>Secrets and configs share one shape and one store; this says which of the two.</summary>
public enum SwarmObjectKind
{
    Secret,
    Config,
}
