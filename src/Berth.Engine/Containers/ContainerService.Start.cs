using Berth.Engine.Logs;
using Berth.Engine.Runtime;
using Berth.Engine.Runtime.Bundle;
using Berth.Engine.Runtime.Mounts;
using Berth.Engine.Runtime.Shim;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Starts a container: starts its shim, mounts its root, writes the bundle, has the shim create it (runc create),
    /// connects the attach streams waiting for this start, then lets the process run (runc start). Already running:
    /// NotModified.
    /// </summary>
    public async Task StartAsync(string idOrName, CancellationToken cancellationToken)
    {
        using var timing = Metrics.ContainerActions.Time("start");
        var container = _store.Get(idOrName);
        var runtime = RuntimeOf(container.Id);
        try
        {
            await runtime.Lock.WaitAsync(cancellationToken);
            try
            {
                if (container.State.Paused) throw BerthException.Conflict("cannot start a paused container, try unpause instead");
                if (container.State.Running) throw BerthException.NotModified("container already started");
                if (container.State.RemovalInProgress || container.State.Dead)
                    throw BerthException.Conflict("container is marked for removal and cannot be started");
                // A start by hand lifts an earlier stop by hand and begins the restart policy afresh.
                container.HasBeenManuallyStopped = false;
                container.RestartCount = 0;
                runtime.RestartDelay = TimeSpan.Zero;
                await StartLockedAsync(container, runtime, cancellationToken);
            }
            finally
            {
                runtime.Lock.Release();
            }
        }
        catch (BerthException e) when (e.Kind is not ErrorKind.NotModified && container.HostConfig.AutoRemove && !container.State.Running)
        {
            // Docker removes an auto-remove container whose start failed; `docker run --rm` waits for that removal.
            await RemoveAsync(container.Id, force: true, removeVolumes: true, CancellationToken.None);
            throw;
        }
    }

    private async Task StartLockedAsync(ContainerRecord container, ContainerRuntime runtime, CancellationToken cancellationToken)
    {
        var logging = LogSettings.Resolve(container.HostConfig.LogConfig, container); // before anything is set up: a bad option leaves nothing behind
        var timings = _logger.IsEnabled(LogLevel.Debug) ? new PhaseTimings() : null;
        var launch = await TakePreparedStartLockedAsync(container, runtime);
        if (launch is not null) timings?.Mark("created ahead");
        try
        {
            DeviceDrivers.Select(container.HostConfig.DeviceRequests);
            launch ??= await LaunchLockedAsync(container, logging, timings, cancellationToken);
        }
        catch (Exception e)
        {
            RecordStartFailure(container, runtime, e);
            throw;
        }
        try
        {
            await RunLaunchedLockedAsync(container, runtime, launch, timings, cancellationToken);
        }
        catch (Exception e)
        {
            await ReleaseLaunchAsync(container, launch);
            RecordStartFailure(container, runtime, e);
            throw;
        }
        if (timings is not null) _logger.LogDebug("start of container {Id}: {Timings}", container.ShortId, timings);
    }

    /// <summary>
    /// The first half of a start: mounts the root, sets up the network, writes the bundle and has a new shim create the
    /// container (runc create), whose process then waits to be let go. On failure everything made is undone (nothing
    /// is recorded: that is the caller's).
    /// </summary>
    private async Task<LaunchedContainer> LaunchLockedAsync(ContainerRecord container, LogSettings logging, PhaseTimings? timings,
        CancellationToken cancellationToken)
    {
        // Looked up at each start, so that a runtime since removed from the configuration is refused as dockerd does.
        var ociRuntime = _options.Runtimes.Resolve(container.HostConfig.Runtime);
        string bundle = _paths.BundleOf(container.Id);
        string rootfs = RootfsOf(container);
        Directory.CreateDirectory(bundle);
        bool shimCreated = false;
        NetworkSetup? network = null;
        Task<PendingShim>? shimStart = null;
        LogPluginStart? logPlugin = null;
        // Until runc create returns: its moving of the init into the cgroups then doesn't wait for an RCU grace period.
        using var cgroupWarmth = CgroupMigrationWarmer.ForThisProcess.Hold();
        try
        {
            // The shim's fork, exec and load (a few milliseconds) happen on another thread while the root is mounted and
            // the bundle written; it waits for its configuration.
            shimStart = Task.Run(() => ShimLauncher.Start(_options.ShimPath, bundle, container.Id), CancellationToken.None);
            OverlayMount.Mount(LowerDirsOf(container), UpperDirOf(container), WorkDirOf(container), rootfs,
                volatileUpper: container.HostConfig.AutoRemove);
            MountSharedShm(container);
            timings?.Mark("rootfs");
            network = Networking is null ? null : await Networking.SetUpAsync(container, cancellationToken);
            timings?.Mark("network");
            WriteEtcFiles(container, network);
            timings?.Mark("etc files");
            var mounts = Volumes is null ? [] : await Volumes.MountAsync(container, rootfs, cancellationToken);
            var spec = OciSpecBuilder.Build(RunSpecFactory.From(container, rootfs, this, network?.Namespace, mounts), HostLimitsOnce.Value);
            timings?.Mark("spec");
            await BundleWriter.WriteAsync(bundle, spec, cancellationToken);
            timings?.Mark("bundle");

            if (logging.Plugin)
            {
                logPlugin = await (LogPlugins ?? throw LogSettings.Failed(LogSettings.PluginNotFound(logging.Driver).Message)).StartAsync(container, cancellationToken);
                // A plugin that reads its lines back needs no cache, and dockerd keeps none for it.
                logging = logging with { Forward = logPlugin.Forward, CacheDisabled = logging.CacheDisabled || logPlugin.ReadLogs };
                timings?.Mark("log plugin");
            }
            var config = container.Config;
            var consoleSize = container.HostConfig.ConsoleSize;
            string logPath = logging.Enabled ? LogPathOf(container) : "";
            if (logging.Driver == LogSettings.Local)
                Directory.CreateDirectory(Path.GetDirectoryName(logPath)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var launch = new ShimLaunchSpec(container.Id, bundle, bundle, ociRuntime.Path, _paths.RuntimeRoot, logPath,
                OpenStdin: config.OpenStdin, StdinOnce: config.StdinOnce, Tty: config.Tty,
                ConsoleHeight: (int)(consoleSize is { Length: 2 } ? consoleSize[0] : 0),
                ConsoleWidth: (int)(consoleSize is { Length: 2 } ? consoleSize[1] : 0),
                CgroupPath: CgroupPathOf(container), LogMaxSize: logging.MaxSize, LogMaxFiles: logging.MaxFiles,
                LogCompress: logging.Compress, LogNonBlocking: logging.NonBlocking, LogForward: logging.Forward,
                RuntimeArgs: ociRuntime.Args, RuntimeIsRunc: ociRuntime.IsRunc);
            var pendingShim = await shimStart;
            int pid = await pendingShim.CreateAsync(launch, cancellationToken);
            shimCreated = true;
            cgroupWarmth.Dispose();
            timings?.Mark("create");
            return new LaunchedContainer(pid, network);
        }
        catch
        {
            cgroupWarmth.Dispose();
            await ReleaseLaunchAsync(container, new LaunchedContainer(0, network, ShimCreated: shimCreated));
            throw;
        }
        finally
        {
            logPlugin?.DaemonEnd.Dispose(); // the shim holds its own end now (or there is no shim)
            await DisposeStartedShimAsync(shimStart);
        }
    }

    /// <summary>
    /// The second half of a start: waits for the network's wiring, connects the attach streams waiting for this start,
    /// lets the process run (runc start) and records the container running.
    /// </summary>
    private async Task RunLaunchedLockedAsync(ContainerRecord container, ContainerRuntime runtime, LaunchedContainer launch,
        PhaseTimings? timings, CancellationToken cancellationToken)
    {
        if (launch.Network is not null) await launch.Network.Ready;
        timings?.Mark("network wiring");

        var shim = new ShimClient(_paths.BundleOf(container.Id));
        await ConnectPendingAttachesAsync(runtime, shim, cancellationToken);
        timings?.Mark("attach");

        // The running record goes to disk (a flush) while runc starts the process; both are done before the
        // reply. A failed start puts the previous state back, and the failure is saved after this write.
        var (previous, startedBefore) = (container.State, container.HasBeenStartedBefore);
        container.State = new ContainerState { Status = "running", Pid = launch.Pid, StartedAt = DateTimeOffset.UtcNow, Health = previous.Health };
        container.HasBeenStartedBefore = true;
        var saved = Task.Run(() => _store.Save(container), CancellationToken.None);
        try
        {
            await shim.StartAsync(cancellationToken);
        }
        catch
        {
            (container.State, container.HasBeenStartedBefore) = (previous, startedBefore);
            await saved.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        timings?.Mark("start");
        await saved;
        timings?.Mark("record");

        StartHealthMonitor(container, runtime, reset: true);
        _store.Save(container); // writes only when the health check's state was reset
        Networking?.ReportConnected(container);
        Publish(container, "start");
        StartMonitor(container, runtime, shim);
    }

    /// <summary>
    /// Undoes a launch (or the part of one that was made): the shim and its container if runc created one, the
    /// network, the volumes, the root's mount.
    /// </summary>
    private async Task ReleaseLaunchAsync(ContainerRecord container, LaunchedContainer launch)
    {
        if (launch.ShimCreated) await ForceCleanupShimAsync(_paths.BundleOf(container.Id));
        if (LogPlugins is not null && LogSettings.IsPlugin(container.HostConfig.LogConfig?.Type)) await LogPlugins.StopAsync(container);
        if (launch.Network is not null) await launch.Network.Ready.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (Networking is not null) await Networking.TearDownAsync(container);
        if (Volumes is not null) await Volumes.UnmountAsync(container, CancellationToken.None);
        UnmountSharedShm(container);
        OverlayMount.Unmount(RootfsOf(container));
    }

    /// <summary>A failed start: the attaches waiting for it get the error, and the record keeps it (inspect's State.Error).</summary>
    private void RecordStartFailure(ContainerRecord container, ContainerRuntime runtime, Exception e)
    {
        FailPendingAttaches(runtime, e);
        container.State.Error = e.Message;
        container.State.ExitCode = e is BerthException { Kind: ErrorKind.Invalid or ErrorKind.NotFound } ? 127 : 128;
        _store.Save(container);
        if (e is BerthException { Kind: ErrorKind.Internal } && e.InnerException is null)
            _logger.LogWarning("start of container {Id} failed: {Message}", container.ShortId, e.Message);
    }

    /// <summary>
    /// Lets go of the shim's pipes; a shim that never got its configuration exits. One that could not be started has
    /// failed the start with its error already.
    /// </summary>
    private static async Task DisposeStartedShimAsync(Task<PendingShim>? shimStart)
    {
        if (shimStart is null) return;
        await ((Task)shimStart).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (shimStart.IsCompletedSuccessfully) shimStart.Result.Dispose();
    }

    public string CgroupPathOf(ContainerRecord container) =>
        string.IsNullOrEmpty(container.HostConfig.CgroupParent)
            ? $"{_options.CgroupParent}/{container.Id}"
            : $"{container.HostConfig.CgroupParent.TrimEnd('/')}/{container.Id}";

    private static async Task ForceCleanupShimAsync(string bundle)
    {
        try
        {
            var shim = new ShimClient(bundle);
            await shim.KillAsync(9, CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await shim.WaitAsync(timeout.Token);
            await shim.ShutdownAsync(CancellationToken.None);
            // The shim removes its socket as it exits: a new shim in this bundle must not have its socket taken away.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            while (File.Exists(shim.SocketPath) && DateTime.UtcNow < deadline) await Task.Delay(2);
        }
        catch (Exception)
        {
            // The shim may already be gone; the runc state is removed by the shim on its way out.
        }
    }

    /// <summary>/etc/hostname, /etc/hosts and /etc/resolv.conf for the container, bind-mounted by the bundle.</summary>
    private void WriteEtcFiles(ContainerRecord container, NetworkSetup? network)
    {
        string hostname = container.Config.Hostname;
        File.WriteAllText(HostnamePathOf(container), hostname + "\n");
        var hosts = new List<string>
        {
            "127.0.0.1\tlocalhost",
            "::1\tlocalhost ip6-localhost ip6-loopback",
            "fe00::0\tip6-localnet",
            "ff00::0\tip6-mcastprefix",
            "ff02::1\tip6-allnodes",
            "ff02::2\tip6-allrouters",
        };
        foreach (var extra in container.HostConfig.ExtraHosts ?? [])
        {
            var parts = extra.Split(':', 2);
            if (parts.Length == 2) hosts.Add($"{parts[1]}\t{parts[0]}");
        }
        hosts.AddRange(network?.HostsEntries ?? []);
        File.WriteAllText(HostsPathOf(container), string.Join('\n', hosts) + "\n");
        File.WriteAllText(ResolvConfPathOf(container), network?.ResolvConf ?? ResolvConf.For(container.HostConfig, _options.Dns));
    }
}

/// <summary>A container runc has created and whose process waits to be let go: its init's pid and its network.</summary>
/// <param name="ShimCreated">False for the part of a launch that failed before runc created the container.</param>
internal sealed record LaunchedContainer(int Pid, NetworkSetup? Network, bool ShimCreated = true);

/// <summary>The daemon's own limits never change while it runs: read them once.</summary>
internal static class HostLimitsOnce
{
    public static readonly HostLimits Value = HostLimits.Read();
}
