using System.Collections.Concurrent;
using Berth.Engine.Events;
using Berth.Engine.Images;
using Berth.Engine.Logs;
using Berth.Engine.Snapshots;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// The container lifecycle: create, start (through a berth-shim per container), stop, kill, wait, attach, remove,
/// and recovery after a daemon restart. Split by concern into partial files (ContainerService.Start.cs …).
/// </summary>
public sealed partial class ContainerService
{
    private readonly EnginePaths _paths;
    private readonly EngineOptions _options;
    private readonly ContainerStore _store;
    private readonly ImageStore _images;
    private readonly LayerStore _layers;
    private readonly EventBus _events;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ContainerRuntime> _runtime = new(StringComparer.Ordinal);

    public ContainerService(EnginePaths paths, EngineOptions options, ContainerStore store, ImageStore images, LayerStore layers, EventBus events, ILogger logger)
    {
        _paths = paths;
        _options = options;
        _store = store;
        _images = images;
        _layers = layers;
        _events = events;
        _logger = logger;
        foreach (string state in new[] { paths.ExecContainers, paths.RuntimeRoot })
        {
            var outcome = Runtime.Mounts.StateTmpfs.Ensure(state, out string detail);
            if (outcome is Runtime.Mounts.StateTmpfs.Outcome.Mounted) _logger.LogInformation("mounted a tmpfs for runtime state on {Directory}", state);
            if (outcome is Runtime.Mounts.StateTmpfs.Outcome.KeptOnDisk)
                _logger.LogInformation("runtime state stays on disk in {Directory}: it holds containers' state from before", state);
            if (outcome is Runtime.Mounts.StateTmpfs.Outcome.Failed) _logger.LogWarning("no tmpfs for runtime state on {Directory}: {Error}", state, detail);
        }
    }

    public ContainerStore Store => _store;

    /// <summary>How long container actions take and how health checks fare (daemon.json "metrics-addr").</summary>
    public Metrics.EngineMetrics Metrics { get; } = new();

    /// <summary>Set once by the daemon at start-up; without it containers get a private namespace with only loopback.</summary>
    public IContainerNetworking? Networking { get; set; }

    /// <summary>Set once by the daemon at start-up; without it containers get no binds, volumes or --mount tmpfs.</summary>
    public IContainerVolumes? Volumes { get; set; }

    /// <summary>Set once by the daemon at start-up; without it a logging plugin is "not found".</summary>
    public IContainerLogPlugins? LogPlugins { get; set; }

    public ContainerRecord Get(string idOrName) => _store.Get(idOrName);

    public IReadOnlyList<ContainerRecord> List() => _store.List();

    /// <summary>True when an image is used by any container (rmi without force refuses it).</summary>
    public ContainerRecord? FirstUsing(string imageId) => _store.List().FirstOrDefault(c => c.ImageId == imageId);

    private ContainerRuntime RuntimeOf(string id) => _runtime.GetOrAdd(id, _ => new ContainerRuntime());

    private void Publish(ContainerRecord container, string action, Dictionary<string, string>? extra = null)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["image"] = container.Config.Image,
            ["name"] = container.Name.TrimStart('/'),
        };
        if (container.Config.Labels is { } labels)
            foreach (var (key, value) in labels) attributes.TryAdd(key, value);
        if (extra is not null)
            foreach (var (key, value) in extra) attributes[key] = value;
        _events.Publish("container", action, container.Id, attributes);
    }

    internal EngineOptions Options => _options;

    /// <summary>Where the container's log file is: json-file's and local's names, as dockerd places them.</summary>
    public string LogPathOf(ContainerRecord container) => container.HostConfig.LogConfig?.Type == LogSettings.Local
        ? Path.Combine(_store.DirOf(container.Id), "local-logs", "container.log")
        : Path.Combine(_store.DirOf(container.Id), container.Id + "-json.log");
    // /etc/hostname, hosts and resolv.conf are written afresh at every start, so they live beside the bundle in the exec
    // root (tmpfs, as Podman keeps them) rather than in the data root: on the data root each first start paid for three
    // new inodes, which on an ext4 without a journal (these machines) costs up to a millisecond each after deletions.
    public string HostnamePathOf(ContainerRecord container) => Path.Combine(_paths.BundleOf(container.Id), "hostname");
    public string HostsPathOf(ContainerRecord container) => Path.Combine(_paths.BundleOf(container.Id), "hosts");
    public string ResolvConfPathOf(ContainerRecord container) => Path.Combine(_paths.BundleOf(container.Id), "resolv.conf");
    public string UpperDirOf(ContainerRecord container) => Path.Combine(_store.DirOf(container.Id), "diff");
    public string WorkDirOf(ContainerRecord container) => Path.Combine(_store.DirOf(container.Id), "work");
    public string RootfsOf(ContainerRecord container) => Path.Combine(_paths.BundleOf(container.Id), "rootfs");

    /// <summary>The init layer and the image's layer directories, top first, as overlayfs wants them.</summary>
    public List<string> LowerDirsOf(ContainerRecord container)
    {
        var image = _images.TryGet(container.ImageId);
        var lowers = image?.ChainIds.Reverse().Select(_layers.DiffDirOf).ToList() ?? [];
        if (lowers.Count == 0) lowers.Add(_layers.EmptyDir);
        lowers.Insert(0, InitLayerOf(container));
        return lowers;
    }
}
