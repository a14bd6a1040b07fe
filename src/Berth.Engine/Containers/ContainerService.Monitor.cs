using Berth.Engine.Runtime.Mounts;
using Berth.Engine.Runtime.Shim;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Waits, in the background, for the container's process to end, then records the exit.</summary>
    private void StartMonitor(ContainerRecord container, ContainerRuntime runtime, ShimClient shim)
    {
        var cancellation = new CancellationTokenSource();
        runtime.MonitorCancellation = cancellation;
        _ = Task.Run(async () =>
        {
            ShimExit exit;
            try
            {
                exit = await shim.WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return; // daemon shutting down: the container keeps running, the next daemon reconnects
            }
            catch (Exception e)
            {
                // The shim went away without answering: its exit file is the last word, if it wrote one.
                exit = ShimClient.ReadExitFile(_paths.BundleOf(container.Id))
                       ?? new ShimExit(255, DateTimeOffset.UtcNow, false);
                _logger.LogWarning("container {Id}: lost its shim ({Message})", container.ShortId, e.Message);
            }
            await HandleExitAsync(container, runtime, shim, exit);
        });
    }

    private async Task HandleExitAsync(ContainerRecord container, ContainerRuntime runtime, ShimClient shim, ShimExit exit)
    {
        await runtime.Lock.WaitAsync();
        try
        {
            container.State.Status = "exited";
            container.State.Paused = false;
            container.State.Pid = 0;
            container.State.ExitCode = exit.ExitCode;
            container.State.OOMKilled = exit.OomKilled;
            container.State.FinishedAt = exit.FinishedAt;
            StopHealthMonitor(container, runtime);
            // The shim's shutdown (runc delete: cgroups and runc state) runs while the daemon releases what it set up
            // for the container; neither touches what the other does. The record is written once, after both: a
            // daemon that dies before finds the shim gone and its exit file, and goes through this again.
            var shutdown = ShutDownShimAsync(shim);
            // dockerd reports the death before its cleanup: die comes before the network disconnect events.
            if (exit.OomKilled) Publish(container, "oom");
            Publish(container, "die", new Dictionary<string, string> { ["exitCode"] = exit.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            if (Volumes is not null) await Volumes.UnmountAsync(container, CancellationToken.None);
            UnmountSharedShm(container);
            if (Networking is not null) await TearDownNetworkAsync(container);
            await shutdown;
            // The shim is gone: its last line is in the plugin's FIFO, which the plugin reads to its end before it answers.
            if (LogPlugins is not null && Logs.LogSettings.IsPlugin(container.HostConfig.LogConfig?.Type)) await LogPlugins.StopAsync(container);
            // An auto-remove container's record goes in a moment: written only if that removal fails (below). A daemon
            // that dies first finds the record running, its shim gone and the exit file, and removes it then.
            if (!container.HostConfig.AutoRemove) _store.Save(container);
            if (ShouldRestart(container, exit.ExitCode, daemonStarting: false))
                ScheduleRestart(container, runtime, exit.FinishedAt - (container.State.StartedAt ?? exit.FinishedAt));

            // Waiters of this run get the code before the root filesystem is unmounted, as dockerd answers them before
            // its cleanup: unmounting a writable layer makes the kernel sync the whole filesystem under it, which
            // after a chatty container (its log is dirty page cache on that filesystem) takes most of a second.
            // Whatever uses the root next (start, rm, cp, a restart) takes this lock and so comes after the unmount.
            // The next run gets a fresh signal.
            var finished = runtime.Exited;
            runtime.Exited = ContainerRuntime.NewSignal();
            finished.TrySetResult(exit.ExitCode);
            OverlayMount.Unmount(RootfsOf(container));
        }
        finally
        {
            runtime.Lock.Release();
        }
        if (container.HostConfig.AutoRemove)
        {
            try
            {
                await RemoveAsync(container.Id, force: false, removeVolumes: true, CancellationToken.None);
            }
            catch (Exception e)
            {
                _logger.LogWarning("auto-remove of container {Id} failed: {Message}", container.ShortId, e.Message);
                _store.Save(container);
            }
        }
    }

    /// <summary>
    /// After a daemon restart: reconnects to the shims of containers that were running, and records the exits of those
    /// that ended meanwhile (from the shim, or from the exit file the shim left).
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var stopped = new List<ContainerRecord>();
        foreach (var container in _store.Load())
        {
            var runtime = RuntimeOf(container.Id);
            if (container.State.Restarting)
            {
                // The daemon died during a restart back-off: the container is exited, and its policy decides below.
                container.State.Restarting = false;
                container.State.Status = "exited";
                _store.Save(container);
            }
            if (!container.State.Running)
            {
                if (File.Exists(Path.Combine(_paths.BundleOf(container.Id), ShimFiles.Socket))) await ReleaseOrphanedLaunchAsync(container);
                UnmountSharedShm(container);
                OverlayMount.Unmount(RootfsOf(container));
                stopped.Add(container);
                continue;
            }
            var shim = new ShimClient(_paths.BundleOf(container.Id));
            ShimState? state = null;
            try
            {
                state = await shim.StateAsync(cancellationToken);
            }
            catch (Exception e)
            {
                _logger.LogWarning("container {Id}: shim not answering ({Message})", container.ShortId, e.Message);
            }
            if (state is { Status: "running" or "created" })
            {
                container.State.Pid = state.Pid;
                StartMonitor(container, runtime, shim);
                if (!container.State.Paused) StartHealthMonitor(container, runtime, reset: false);
                continue;
            }
            var exit = state?.Exit ?? ShimClient.ReadExitFile(_paths.BundleOf(container.Id)) ?? new ShimExit(255, DateTimeOffset.UtcNow, false);
            if (state is null) await DeleteRuncStateAsync(container);
            await HandleExitAsync(container, runtime, shim, exit);
        }
        RestartAtDaemonStart(stopped);
    }

    /// <summary>
    /// A container that is not running but has a shim: created ahead of a start that never came (or a start cut short)
    /// when the previous daemon died. Its shim, runc's container, network namespace and mounts go.
    /// </summary>
    private async Task ReleaseOrphanedLaunchAsync(ContainerRecord container)
    {
        _logger.LogInformation("container {Id}: undoing a start that did not finish", container.ShortId);
        await ReleaseLaunchAsync(container, new LaunchedContainer(0, null));
        await DeleteRuncStateAsync(container); // when the shim was gone already, runc's state may not be
        File.Delete(Path.Combine(_paths.BundleOf(container.Id), ShimFiles.Socket)); // a dead shim's socket stays behind
    }

    private static async Task ShutDownShimAsync(ShimClient shim)
    {
        try { await shim.ShutdownAsync(CancellationToken.None); } catch (Exception) { /* already gone */ }
    }

    private async Task TearDownNetworkAsync(ContainerRecord container)
    {
        try
        {
            await Networking!.TearDownAsync(container);
        }
        catch (Exception e)
        {
            _logger.LogWarning("container {Id}: network teardown failed: {Message}", container.ShortId, e.Message);
        }
    }

    /// <summary>Stops watching shims (the daemon is exiting); containers keep running.</summary>
    public void DetachAll()
    {
        foreach (var runtime in _runtime.Values)
        {
            runtime.MonitorCancellation?.Cancel();
            runtime.HealthCancellation?.Cancel();
        }
    }
}
