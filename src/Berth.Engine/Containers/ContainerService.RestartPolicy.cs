using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    // Docker's restart manager: 100 ms, doubled after every run shorter than 10 s, at most a minute.
    private static readonly TimeSpan FirstRestartDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ResetAfterRunning = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a container that just exited comes back. A stop or kill by hand cancels every policy while the daemon
    /// runs; at daemon start only unless-stopped still honours it (Docker's rules).
    /// </summary>
    internal static bool ShouldRestart(ContainerRecord container, int exitCode, bool daemonStarting)
    {
        if (container.HostConfig.AutoRemove) return false;
        if (container.HasBeenManuallyStopped && !daemonStarting) return false;
        var policy = container.HostConfig.RestartPolicy;
        return policy?.Name switch
        {
            "always" => true,
            "unless-stopped" => !container.HasBeenManuallyStopped,
            "on-failure" => exitCode != 0 && (policy.MaximumRetryCount == 0 || container.RestartCount < policy.MaximumRetryCount),
            _ => false,
        };
    }

    /// <summary>Marks the container restarting and starts it again after the back-off delay. Called under its lock.</summary>
    private void ScheduleRestart(ContainerRecord container, ContainerRuntime runtime, TimeSpan ranFor)
    {
        runtime.RestartDelay = ranFor >= ResetAfterRunning || runtime.RestartDelay == TimeSpan.Zero
            ? FirstRestartDelay
            : TimeSpan.FromTicks(Math.Min(runtime.RestartDelay.Ticks * 2, MaxRestartDelay.Ticks));
        var cancellation = new CancellationTokenSource();
        runtime.PendingRestart = cancellation;
        container.State.Status = "restarting";
        container.State.Restarting = true;
        _store.Save(container);
        var delay = runtime.RestartDelay;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await runtime.Lock.WaitAsync();
            try
            {
                if (cancellation.IsCancellationRequested || _store.TryGet(container.Id) is null) return;
                runtime.PendingRestart = null;
                if (container.HasBeenManuallyStopped)
                {
                    // Stopped by hand while the back-off ran, before the stop could take the lock.
                    container.State.Restarting = false;
                    container.State.Status = "exited";
                    _store.Save(container);
                    return;
                }
                container.State.Restarting = false;
                container.RestartCount++;
                await StartLockedAsync(container, runtime, CancellationToken.None);
            }
            catch (Exception e)
            {
                container.State.Status = "exited";
                _store.Save(container);
                _logger.LogWarning("restart of container {Id} failed: {Message}", container.ShortId, e.Message);
            }
            finally
            {
                runtime.Lock.Release();
            }
        });
    }

    /// <summary>Drops a pending restart (a stop, kill or removal by hand): the container simply stays exited.</summary>
    private bool CancelPendingRestart(ContainerRecord container, ContainerRuntime runtime)
    {
        if (runtime.PendingRestart is not { } pending) return false;
        pending.Cancel();
        runtime.PendingRestart = null;
        container.State.Restarting = false;
        container.State.Status = "exited";
        _store.Save(container);
        return true;
    }

    /// <summary>After a daemon start: containers whose policy says so come back (a host reboot, or a daemon stopped meanwhile).</summary>
    private void RestartAtDaemonStart(IEnumerable<ContainerRecord> stopped)
    {
        foreach (var container in stopped)
        {
            if (!ShouldRestart(container, container.State.ExitCode, daemonStarting: true)) continue;
            _ = Task.Run(async () =>
            {
                try
                {
                    await StartAsync(container.Id, CancellationToken.None);
                }
                catch (Exception e)
                {
                    _logger.LogWarning("start of container {Id} at daemon start failed: {Message}", container.ShortId, e.Message);
                }
            });
        }
    }

    /// <summary>Removes what a killed shim left in runc's state (the container's processes included).</summary>
    private async Task DeleteRuncStateAsync(ContainerRecord container)
    {
        try
        {
            // A runtime gone from the configuration since: runc still removes its state (the runtimes share the root).
            var runtime = _options.Runtimes.Contains(container.HostConfig.Runtime ?? "")
                ? _options.Runtimes.Resolve(container.HostConfig.Runtime)
                : _options.Runtimes.Resolve(Runtime.OciRuntimes.Runc);
            using var process = Process.Start(RuntimeCommand(runtime, "delete", ["--force", container.Id]));
            if (process is not null) await process.WaitForExitAsync();
        }
        catch (Exception e)
        {
            _logger.LogWarning("container {Id}: runc delete failed: {Message}", container.ShortId, e.Message);
        }
    }
}
