using Berth.Api;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Distribution;
using Berth.Engine.Distribution.Local;
using Berth.Engine.Events;
using Berth.Engine.Images;
using Berth.Engine.Logs;
using Berth.Engine.Snapshots;
using Berth.Oci.Content;

namespace Berth.Daemon.Hosting;

/// <summary>The engine's parts, made once at start-up and shared by every endpoint.</summary>
public sealed class DaemonServices
{
    public DaemonServices(DaemonOptions options, ILogger logger)
    {
        Options = options;
        Paths = new EnginePaths(options.DataRoot, options.ExecRoot);
        Directory.CreateDirectory(Paths.DataRoot);
        Directory.CreateDirectory(Paths.Tmp);
        foreach (var leftover in Directory.EnumerateFileSystemEntries(Paths.Tmp))
        {
            if (Directory.Exists(leftover)) Directory.Delete(leftover, recursive: true); else File.Delete(leftover);
        }
        EngineOptions = new EngineOptions
        {
            RuntimePath = string.IsNullOrEmpty(options.Runtime) ? FindRuntime() : options.Runtime,
            ShimPath = string.IsNullOrEmpty(options.ShimPath) ? FindShim() : options.ShimPath,
            Init = options.Init,
            DefaultLogConfig = new LogConfig { Type = options.LogDriver, Config = new Dictionary<string, string>(options.LogOpts, StringComparer.Ordinal) },
            Dns = new DnsDefaults(options.Dns, options.DnsSearch, options.DnsOptions),
            DefaultUlimits = [.. options.DefaultUlimits.Select(u => new Berth.Engine.Runtime.Bundle.Ulimit(u.Key, u.Value.Soft, u.Value.Hard))],
            DefaultShmSize = options.DefaultShmSize,
            NoNewPrivileges = options.NoNewPrivileges,
            DefaultIpcMode = options.DefaultIpcMode,
            DefaultCgroupnsMode = options.DefaultCgroupnsMode,
            DefaultSeccomp = DaemonSeccomp.Load(options.SeccompProfile),
            CgroupParent = options.CgroupParent,
        };
        EngineOptions.Runtimes = new Berth.Engine.Runtime.OciRuntimes(EngineOptions.RuntimePath,
            options.Runtimes.Values.Select(r => r with { Path = RuntimeLookup.InPath(r.Path) }), options.DefaultRuntime);
        // As dockerd refuses to start with a log driver or option it cannot use.
        LogSettings.Validate(EngineOptions.DefaultLogConfig);
        LogSettings.Resolve(EngineOptions.DefaultLogConfig);
        if (!string.IsNullOrEmpty(options.InitPath)) EngineOptions.InitPath = options.InitPath;
        Content = new FileContentStore(Paths.Content);
        Content.Recover();
        Layers = new LayerStore(Paths.Layers, Content);
        Layers.Recover();
        Images = new ImageStore(Paths.Images, Content, Layers);
        Events = new EventBus();
        Containers = new ContainerService(Paths, EngineOptions, new ContainerStore(Paths.Containers), Images, Layers, Events, logger);
        var pools = options.DefaultAddressPools.Count > 0
            ? options.DefaultAddressPools.Select(p => Berth.Engine.Networks.Ipam.AddressPool.Create(p.Base, p.Size)).ToList()
            : null;
        Networks = new Berth.Engine.Networks.NetworkService(Path.Combine(Paths.DataRoot, "networks"), Paths.DataRoot, Containers.Store, Events, logger, pools)
        {
            DaemonDns = EngineOptions.Dns,
            DefaultBridge = options.DefaultBridge,
        };
        Containers.Networking = Networks;
        Volumes = new Berth.Engine.Volumes.VolumeService(Path.Combine(Paths.DataRoot, "volumes"), Containers.Store, Events, logger);
        Containers.Volumes = Volumes;
        // Sources in the order they are asked: managed plugins go first when they exist, then Docker's legacy directories.
        var pluginClient = new Berth.Engine.Plugins.PluginClient();
        ManagedPlugins = new Berth.Engine.Plugins.Managed.ManagedPluginService(Paths, EngineOptions, Events, logger, DaemonInfo.Version)
        {
            // A volume records its plugin as named ("x") or as the plugin is ("x:latest").
            InUse = name => Volumes.List().Any(v => v.Driver == name || Berth.Engine.Plugins.Managed.PluginNames.TryNormalize(v.Driver) == name)
                || Containers.List().Any(c => c.State.Running && c.HostConfig.LogConfig?.Type is { } driver
                    && (driver == name || Berth.Engine.Plugins.Managed.PluginNames.TryNormalize(driver) == name)),
        };
        Plugins = new Berth.Engine.Plugins.PluginRegistry(pluginClient, new Berth.Engine.Plugins.Managed.ManagedPluginSource(ManagedPlugins),
            options.PluginDirs.Count > 0
                ? new Berth.Engine.Plugins.LegacyPluginSource(options.PluginDirs, options.PluginDirs, pluginClient)
                : Berth.Engine.Plugins.LegacyPluginSource.Default(pluginClient));
        Volumes.Plugins = Plugins;
        LogPlugins = new Berth.Engine.Plugins.LogDriver.LogPlugins(Plugins, Paths.ExecRoot, logger);
        Containers.LogPlugins = LogPlugins;
        Authorization = new Berth.Engine.Plugins.Authz.AuthorizationPlugins(Plugins);
        Authorization.Configure(options.AuthorizationPlugins);
        ImageService = new ImageService(Images, Layers, Events, imageId =>
            Containers.FirstUsing(imageId) is { } user ? new ImageUse(user.Id, user.State.Running) : null);
        Registry = new RegistryClient(RegistryOptionsOf(options), Path.Combine(Paths.DataRoot, "distribution"));
        var manifestCleanup = new ManifestCleanup(Registry.Metadata, Content, id => Images.TryGet(id) is not null);
        manifestCleanup.Sweep();
        _ = manifestCleanup.RunAsync(Events, CancellationToken.None); // for the daemon's lifetime
        Id = LoadOrCreateId();
        Swarm = new Berth.Engine.Swarm.SwarmManager(new Berth.Engine.Swarm.SwarmStore(Path.Combine(Paths.DataRoot, "swarm")), Containers, Images, Events,
            new Berth.Engine.Swarm.SwarmNodeFacts(Environment.MachineName, DaemonInfo.Version, Environment.ProcessorCount * 1_000_000_000L,
                Endpoints.SystemEndpoints.MemTotal()), logger);
        Swarm.AgentSocketPath = Http.SwarmAgentGate.SocketPath(Paths.ExecRoot);
        Swarm.Orchestrator.Networks = Networks;
        Networks.SwarmPools = Swarm.OverlayPools;
        Networks.SwarmServiceUsing = Swarm.ServiceUsingNetwork;
        Swarm.Orchestrator.Mesh = new Berth.Engine.Swarm.RoutingMesh(Networks.Publisher);
        // Worker nodes are reached through their tunnels, which exist while this daemon is a swarm's manager.
        Swarm.Orchestrator.NodeClients = nodeId => Swarm.Tunnels?.ClientFor(nodeId);
        // A task whose image is missing pulls it, as swarm's executor does (anonymously: no credentials are kept).
        Swarm.Orchestrator.PullImage = (image, cancellationToken) => Registry.PullAsync(
            Berth.Oci.References.ImageReference.ParseNamed(image, addLatest: true), new LocalPullTarget(Content, Layers, Images),
            Berth.Engine.Distribution.Auth.RegistryCredentials.FromRegistryAuthHeader(null), null, cancellationToken);
        // A manager listens for its workers again, a worker reconnects to its manager.
        Swarm.StartCluster();
    }

    public DaemonOptions Options { get; }
    public EnginePaths Paths { get; }
    public EngineOptions EngineOptions { get; }
    public Berth.Engine.Plugins.Authz.AuthorizationPlugins Authorization { get; }

    /// <summary>The registry client's settings from the daemon's (at start, and again at each SIGHUP).</summary>
    public RegistryOptions RegistryOptionsOf(DaemonOptions options) => new()
    {
        Mirrors = [.. options.RegistryMirrors],
        InsecureRegistries = [.. options.InsecureRegistries],
        MaxConcurrentDownloads = options.MaxConcurrentDownloads,
        MaxConcurrentUploads = options.MaxConcurrentUploads,
        MaxDownloadAttempts = options.MaxDownloadAttempts,
        RetryCountdownStep = RetryCountdownStepForTests() ?? TimeSpan.FromSeconds(1),
    };

    /// <summary>
    /// BERTH_TEST_RETRY_STEP_MS: the integration tests shorten the retry countdown's second to a few milliseconds, so
    /// that a pull retried five times does not wait dockerd's 75 s; everything else about the retries stays as it is.
    /// Not a setting for users: daemon.json has no such key.
    /// </summary>
    private static TimeSpan? RetryCountdownStepForTests() =>
        int.TryParse(Environment.GetEnvironmentVariable("BERTH_TEST_RETRY_STEP_MS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int ms)
            ? TimeSpan.FromMilliseconds(ms)
            : null;
    public FileContentStore Content { get; }
    public LayerStore Layers { get; }
    public ImageStore Images { get; }
    public EventBus Events { get; }
    public ContainerService Containers { get; }
    public Berth.Engine.Networks.NetworkService Networks { get; }
    public Berth.Engine.Volumes.VolumeService Volumes { get; }
    public Berth.Engine.Plugins.PluginRegistry Plugins { get; }
    public Berth.Engine.Plugins.LogDriver.LogPlugins LogPlugins { get; }
    public Berth.Engine.Plugins.Managed.ManagedPluginService ManagedPlugins { get; }
    public ImageService ImageService { get; }
    public RegistryClient Registry { get; }
    public Berth.Engine.Swarm.SwarmManager Swarm { get; }
    public string Id { get; }
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>A scratch directory under the data root (same filesystem, so results can be renamed into place).</summary>
    public string NewTempDir()
    {
        string dir = Path.Combine(Paths.Tmp, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private string LoadOrCreateId()
    {
        string path = Path.Combine(Paths.DataRoot, "engine-id");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        string id = Guid.NewGuid().ToString();
        Berth.Oci.Content.AtomicFile.WriteAllBytes(path, System.Text.Encoding.ASCII.GetBytes(id));
        return id;
    }

    private static string FindRuntime() =>
        new[] { "/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc", "/usr/local/bin/runc" }.FirstOrDefault(File.Exists) ?? "runc";

    /// <summary>berth-shim beside berthd first (a build tree or an install), then the installed one.</summary>
    private static string FindShim()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "berth-shim");
        return File.Exists(beside) ? beside : "/usr/local/bin/berth-shim";
    }
}
