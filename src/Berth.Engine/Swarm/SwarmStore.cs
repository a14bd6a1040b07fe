using System.Text.Json;
using Berth.Api;
using Berth.Engine.Swarm.Cluster;
using Berth.Oci.Content;

namespace Berth.Engine.Swarm;

/// <summary>
/// The swarm's objects (cluster, nodes, services, tasks, secrets, configs), in memory and under
/// <c>&lt;data-root&gt;/swarm</c>. Every change goes through an edit that clones the object, changes the clone, gives it
/// the next version, writes it and only then publishes it: objects handed out are never changed afterwards, so readers
/// may serialize them without a lock. On a manager, <see cref="Node"/> is this node and the workers are kept beside it;
/// on a worker there is no cluster, only the <see cref="Worker"/> membership.
/// </summary>
public sealed class SwarmStore
{
    private readonly Lock _gate = new();
    private readonly string _root;
    private readonly SwarmObjectFiles<SwarmCluster> _clusterFile;
    private readonly SwarmObjectFiles<SwarmNode> _nodeFile;
    private readonly SwarmObjectFiles<SwarmNode> _workerNodeFiles;
    private readonly SwarmObjectFiles<NodeCredential> _credentialFiles;
    private readonly SwarmObjectFiles<SwarmService> _serviceFiles;
    private readonly SwarmObjectFiles<SwarmTask> _taskFiles;
    private readonly SwarmObjectFiles<SwarmSecret> _secretFiles;
    private readonly SwarmObjectFiles<SwarmSecret> _configFiles;
    private readonly Dictionary<string, SwarmNode> _workerNodes = [];
    private readonly Dictionary<string, NodeCredential> _credentials = [];
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
        _workerNodeFiles = new(Path.Combine(root, "nodes"), context.SwarmNode);
        _credentialFiles = new(Path.Combine(root, "credentials"), ClusterJsonContext.Default.NodeCredential, isPrivate: true);
        _serviceFiles = new(Path.Combine(root, "services"), context.SwarmService);
        _taskFiles = new(Path.Combine(root, "tasks"), context.SwarmTask);
        _secretFiles = new(Path.Combine(root, "secrets"), context.SwarmSecret, isPrivate: true);
        _configFiles = new(Path.Combine(root, "configs"), context.SwarmSecret);
        Load();
    }

    /// <summary>Where the swarm keeps files of its own (the CA key).</summary>
    public string Root => _root;

    public SwarmCluster? Cluster { get; private set; }

    /// <summary>This node, on a manager (the manager's own node object).</summary>
    public SwarmNode? Node { get; private set; }

    public bool Active => Cluster is not null && Node is not null;

    /// <summary>Every node of the swarm, this manager first; empty when this daemon is no manager.</summary>
    public IReadOnlyList<SwarmNode> Nodes
    {
        get
        {
            lock (_gate) return Node is null ? [] : [Node, .. _workerNodes.Values.OrderBy(n => n.CreatedAt, StringComparer.Ordinal)];
        }
    }

    /// <summary>A node by full ID (this one or a worker).</summary>
    public SwarmNode? TryGetNode(string id)
    {
        lock (_gate) return Node?.ID == id ? Node : _workerNodes.GetValueOrDefault(id);
    }

    /// <summary>On a worker: its membership of a swarm managed elsewhere (null on a manager or outside a swarm).</summary>
    public WorkerMembership? Worker { get; private set; }

    private string WorkerFile => Path.Combine(_root, "worker.json");

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

    /// <summary>A worker joined: its node and the SHA-256 of the secret it proves itself with.</summary>
    public SwarmNode AddWorkerNode(SwarmNode node, string secretSha256)
    {
        lock (_gate)
        {
            var credential = new NodeCredential { NodeID = node.ID, SecretSha256 = secretSha256 };
            _credentialFiles.Write(node.ID, credential);
            _credentials[node.ID] = credential;
            return Add(node, node.ID, _workerNodeFiles, _workerNodes);
        }
    }

    public NodeCredential? TryGetCredential(string nodeId)
    {
        lock (_gate) return _credentials.GetValueOrDefault(nodeId);
    }

    /// <summary>Edits a node as it is now (this one or a worker); null when it is gone.</summary>
    public SwarmNode? EditNode(string id, Action<SwarmNode> change)
    {
        lock (_gate)
        {
            if (Node?.ID == id) return EditNode(change);
            if (!_workerNodes.TryGetValue(id, out var current)) return null;
            return Edit(current, _workerNodeFiles, change, id, edited => _workerNodes[id] = edited);
        }
    }

    /// <summary>A worker node is removed; its credential goes with it.</summary>
    public void RemoveWorkerNode(string id)
    {
        lock (_gate)
        {
            Remove(id, _workerNodeFiles, _workerNodes);
            Remove(id, _credentialFiles, _credentials);
        }
    }

    /// <summary>This daemon joined a swarm as a worker (or, with null, left it): kept readable by root only.</summary>
    public void SetWorker(WorkerMembership? membership)
    {
        lock (_gate)
        {
            if (membership is null)
            {
                if (File.Exists(WorkerFile)) File.Delete(WorkerFile);
                Worker = null;
                return;
            }
            Directory.CreateDirectory(_root);
            File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            AtomicFile.WriteAllBytes(WorkerFile, JsonSerializer.SerializeToUtf8Bytes(membership, ClusterJsonContext.Default.WorkerMembership));
            File.SetUnixFileMode(WorkerFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Worker = membership;
        }
    }

    /// <summary>Forgets the swarm: every object and file (leaving a swarm erases its state, as in Docker).</summary>
    public void Erase()
    {
        lock (_gate)
        {
            Cluster = null;
            Node = null;
            Worker = null;
            _workerNodes.Clear();
            _credentials.Clear();
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
        if (File.Exists(WorkerFile))
            Worker = JsonSerializer.Deserialize(File.ReadAllBytes(WorkerFile), ClusterJsonContext.Default.WorkerMembership);
        if (!Active) return;
        foreach (var n in _workerNodeFiles.LoadAll()) _workerNodes[n.ID] = n;
        foreach (var c in _credentialFiles.LoadAll()) _credentials[c.NodeID] = c;
        foreach (var s in _serviceFiles.LoadAll()) _services[s.ID] = s;
        foreach (var t in _taskFiles.LoadAll()) _tasks[t.ID] = t;
        foreach (var s in _secretFiles.LoadAll()) _secrets[s.ID] = s;
        foreach (var c in _configFiles.LoadAll()) _configs[c.ID] = c;
        _index = new[] { Cluster!.Version.Index, Node!.Version.Index }
            .Concat(_workerNodes.Values.Select(n => n.Version.Index))
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
