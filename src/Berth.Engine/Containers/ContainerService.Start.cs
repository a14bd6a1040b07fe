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
        string bundle = _paths.BundleOf(container.Id);
        string rootfs = RootfsOf(container);
        var logging = LogSettings.Resolve(container.HostConfig.LogConfig); // before anything is set up: a bad option leaves nothing behind
        Directory.CreateDirectory(bundle);
        bool launched = false;
        var timings = _logger.IsEnabled(LogLevel.Debug) ? new PhaseTimings() : null;
        NetworkSetup? network = null;
        Task<PendingShim>? shimStart = null;
        // Until runc create returns: its moving of the init into the cgroups then doesn't wait for an RCU grace period.
        var cgroupWarmth = CgroupMigrationWarmer.ForThisProcess.Hold();
        try
        {
            // The shim's fork, exec and load (a few milliseconds) happen on another thread while the root is mounted and
            // the bundle written; it waits for its configuration.
            shimStart = Task.Run(() => ShimLauncher.Start(_options.ShimPath, bundle, container.Id), CancellationToken.None);
            OverlayMount.Mount(LowerDirsOf(container), UpperDirOf(container), WorkDirOf(container), rootfs,
                volatileUpper: container.HostConfig.AutoRemove);
            timings?.Mark("rootfs");
            network = Networking is null ? null : await Networking.SetUpAsync(container, cancellationToken);
            timings?.Mark("network");
            WriteEtcFiles(container, network);
            var mounts = Volumes?.Mount(container, rootfs) ?? [];
            var spec = OciSpecBuilder.Build(RunSpecFactory.From(container, rootfs, this, network?.Namespace, mounts), HostLimitsOnce.Value);
            await BundleWriter.WriteAsync(bundle, spec, cancellationToken);
            timings?.Mark("bundle");

            var config = container.Config;
            var consoleSize = container.HostConfig.ConsoleSize;
            var launch = new ShimLaunchSpec(container.Id, bundle, bundle, _options.RuntimePath, _paths.RuntimeRoot, logging.Enabled ? LogPathOf(container) : "",
                OpenStdin: config.OpenStdin, StdinOnce: config.StdinOnce, Tty: config.Tty,
                ConsoleHeight: (int)(consoleSize is { Length: 2 } ? consoleSize[0] : 0),
                ConsoleWidth: (int)(consoleSize is { Length: 2 } ? consoleSize[1] : 0),
                CgroupPath: CgroupPathOf(container), LogMaxSize: logging.MaxSize, LogMaxFiles: logging.MaxFiles);
            var pendingShim = await shimStart;
            int pid = await pendingShim.CreateAsync(launch, cancellationToken);
            launched = true;
            cgroupWarmth.Dispose();
            timings?.Mark("create");
            if (network is not null) await network.Ready;
            timings?.Mark("network wiring");

            var shim = new ShimClient(bundle);
            await ConnectPendingAttachesAsync(runtime, shim, cancellationToken);
            timings?.Mark("attach");

            // The running record goes to disk (a flush) while runc starts the process; both are done before the
            // reply. A failed start puts the previous state back, and the failure below is saved after this write.
            var (previous, startedBefore) = (container.State, container.HasBeenStartedBefore);
            container.State = new ContainerState { Status = "running", Pid = pid, StartedAt = DateTimeOffset.UtcNow, Health = previous.Health };
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
            Publish(container, "start");
            StartMonitor(container, runtime, shim);
            if (timings is not null) _logger.LogDebug("start of container {Id}: {Timings}", container.ShortId, timings);
        }
        catch (Exception e)
        {
            FailPendingAttaches(runtime, e);
            if (launched) await ForceCleanupShimAsync(bundle);
            if (network is not null) await network.Ready.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (Networking is not null) await Networking.TearDownAsync(container);
            Volumes?.Unmount(container);
            OverlayMount.Unmount(rootfs);
            container.State.Error = e.Message;
            container.State.ExitCode = e is BerthException { Kind: ErrorKind.Invalid or ErrorKind.NotFound } ? 127 : 128;
            _store.Save(container);
            if (e is BerthException { Kind: ErrorKind.Internal } && e.InnerException is null)
                _logger.LogWarning("start of container {Id} failed: {Message}", container.ShortId, e.Message);
            throw;
        }
        finally
        {
            cgroupWarmth.Dispose();
            await DisposeStartedShimAsync(shimStart);
        }
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
        File.WriteAllText(ResolvConfPathOf(container), network?.ResolvConf ?? ResolvConf.For(container.HostConfig));
    }
}

/// <summary>The daemon's own limits never change while it runs: read them once.</summary>
internal static class HostLimitsOnce
{
    public static readonly HostLimits Value = HostLimits.Read();
}
