using System.Diagnostics;
using Berth.Api;
using Berth.Engine.Containers.Health;
using Berth.GoText;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// Health checks, as Docker runs them: every interval an exec of the probe (with exec_create/exec_start/exec_die
/// events like any exec), its exit code and first 4096 bytes of output kept in State.Health, a health_status event
/// when the status changes. The monitor runs while the container runs unpaused; a stop or pause ends it and, as in
/// Docker, leaves the status unhealthy; a start resets it to starting.
/// </summary>
public sealed partial class ContainerService
{
    /// <summary>
    /// Starts probing the container when its config has a health check. <paramref name="reset"/> (a start of the
    /// container) sets the status back to starting; an unpause or a daemon restart goes on from where it was.
    /// Called under the container's lock; the caller saves the record.
    /// </summary>
    private void StartHealthMonitor(ContainerRecord container, ContainerRuntime runtime, bool reset)
    {
        runtime.HealthCancellation?.Cancel();
        runtime.HealthCancellation = null;
        var settings = HealthSettings.From(container.Config.Healthcheck);
        if (settings is null || !container.State.Running) return;
        var health = container.State.Health ??= new HealthState();
        if (reset) lock (health) health.Reset();
        var cancellation = new CancellationTokenSource();
        runtime.HealthCancellation = cancellation;
        _ = Task.Run(() => MonitorHealthAsync(container, health, settings, cancellation.Token));
    }

    /// <summary>Ends the probing (stop, pause, death); a status left by a monitor that ran is unhealthy, as in Docker.</summary>
    private static void StopHealthMonitor(ContainerRecord container, ContainerRuntime runtime)
    {
        if (runtime.HealthCancellation is not { } cancellation) return;
        runtime.HealthCancellation = null;
        cancellation.Cancel();
        if (container.State.Health is { } health) lock (health) health.Status = HealthState.Unhealthy;
    }

    private async Task MonitorHealthAsync(ContainerRecord container, HealthState health, HealthSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var startedAt = container.State.StartedAt ?? DateTimeOffset.UtcNow;
                string status;
                lock (health) status = health.Status;
                await Task.Delay(settings.NextInterval(status, DateTimeOffset.UtcNow - startedAt), cancellationToken);
                if (!container.State.Running || container.State.Paused) return;
                var result = await RunProbeAsync(container, settings, cancellationToken);
                bool changed;
                lock (health)
                {
                    // A probe that a stop or pause interrupted says nothing about the container's health.
                    if (cancellationToken.IsCancellationRequested) return;
                    changed = health.Record(result, startedAt, settings);
                    Metrics.HealthCheckRan(failed: result.ExitCode != 0);
                    status = health.Status;
                }
                _store.Save(container);
                if (changed) Publish(container, "health_status: " + status);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopped, paused, or the daemon is exiting
        }
        catch (Exception e)
        {
            _logger.LogWarning("container {Id}: health monitor failed: {Message}", container.ShortId, e.Message);
        }
    }

    /// <summary>One probe: an exec of the check command with its output captured, killed when it outlives the timeout.</summary>
    private async Task<HealthLogEntry> RunProbeAsync(ContainerRecord container, HealthSettings settings, CancellationToken cancellationToken)
    {
        var start = DateTimeOffset.UtcNow;
        var output = new ProbeOutput();
        ExecRecord? exec = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            exec = CreateExec(container.Id, new ExecCreateRequest { Cmd = [.. settings.Command], AttachStdout = true, AttachStderr = true });
            var started = await StartExecAsync(exec.Id, detach: false, consoleSize: null, timeout.Token);
            await using (started.Stream)
            {
                var reading = started.Stream is null ? Task.CompletedTask : output.ReadFramesAsync(started.Stream, timeout.Token);
                await Task.WhenAll(reading, exec.Finished).WaitAsync(timeout.Token);
            }
            return new HealthLogEntry(start, DateTimeOffset.UtcNow, exec.ExitCode ?? -1, output.ToString());
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            KillProbe(exec);
            return new HealthLogEntry(start, DateTimeOffset.UtcNow, -1, $"Health check exceeded timeout ({GoDuration.Format(settings.Timeout)})");
        }
        catch (BerthException e)
        {
            _logger.LogDebug("container {Id}: health probe could not run: {Message}", container.ShortId, e.Message);
            return new HealthLogEntry(start, DateTimeOffset.UtcNow, -1, e.Message);
        }
        finally
        {
            // Probe execs are the daemon's own: forget them once done, or a long-lived container would pile them up.
            if (exec is not null) _ = exec.Finished.ContinueWith(_ => _execs.TryRemove(exec.Id, out ExecRecord? _), TaskScheduler.Default);
        }
    }

    private void KillProbe(ExecRecord? exec)
    {
        if (exec is not { Running: true, Pid: > 0 }) return;
        try
        {
            using var process = Process.GetProcessById(exec.Pid);
            // The whole tree: a shell probe's children would otherwise hold its output open past the kill.
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            _logger.LogDebug("health probe {Id}: already gone ({Message})", exec.Id, e.Message);
        }
    }
}
