using Berth.Engine.Runtime.Shim;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Sends the stop signal, waits up to the timeout, then SIGKILL. Not running: NotModified.</summary>
    public async Task StopAsync(string idOrName, int? timeoutSeconds, string? signal, CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        if (!container.State.Running) throw BerthException.NotModified("container already stopped");
        container.HasBeenManuallyStopped = true;
        _store.Save(container);
        if (await CancelRestartLockedAsync(container, cancellationToken)) return;
        int stopSignal = Signals.Parse(string.IsNullOrEmpty(signal) ? container.Config.StopSignal ?? "SIGTERM" : signal);
        int timeout = timeoutSeconds ?? container.Config.StopTimeout ?? _options.DefaultStopTimeoutSeconds;
        await StopLockedAsync(container, stopSignal, timeout, cancellationToken);
        // dockerd's stop ends with a stop event after the die (clients waiting on events, e.g. Docker.DotNet's
        // MonitorEventsAsync users, look for it).
        Publish(container, "stop");
    }

    private async Task StopLockedAsync(ContainerRecord container, int stopSignal, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var runtime = RuntimeOf(container.Id);
        var exited = runtime.Exited.Task;
        if (!container.State.Running) return;
        var shim = new ShimClient(_paths.BundleOf(container.Id));
        await SignalAsync(container, shim, stopSignal, cancellationToken);
        await ThawAfterSignalAsync(container, cancellationToken);
        if (timeoutSeconds < 0)
        {
            await exited.WaitAsync(cancellationToken);
            return;
        }
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(timeoutSeconds), cancellationToken)) == exited) return;
        await SignalAsync(container, shim, 9, cancellationToken);
        await exited.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// A signal of stop or rm -f. Each one is a kill event, as dockerd publishes them (kill 15, then kill 9 after the
    /// timeout), published before the signal so that it always comes ahead of the die the exit brings.
    /// </summary>
    private async Task SignalAsync(ContainerRecord container, ShimClient shim, int signal, CancellationToken cancellationToken)
    {
        PublishKill(container, signal);
        try
        {
            await shim.KillAsync(signal, cancellationToken);
        }
        catch (BerthException)
        {
            // The process ended between the state check and the signal; the monitor records the exit.
        }
    }

    private void PublishKill(ContainerRecord container, int signal) =>
        Publish(container, "kill", new Dictionary<string, string> { ["signal"] = signal.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>Sends a signal (name or number, Docker's defaults to SIGKILL); 409 when the container isn't running.</summary>
    public async Task KillAsync(string idOrName, string? signal, CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        int number = Signals.Parse(string.IsNullOrEmpty(signal) ? "SIGKILL" : signal);
        if (!container.State.Running)
            throw BerthException.Conflict($"Cannot kill container: {idOrName}: Container {container.Id} is not running");
        if (container.State.Restarting)
        {
            if (number != 9) throw BerthException.Conflict($"Cannot kill container: {idOrName}: Container {container.Id} is restarting, wait until the container is running");
            container.HasBeenManuallyStopped = true;
            await CancelRestartLockedAsync(container, cancellationToken);
            return;
        }
        if (number == 9) container.HasBeenManuallyStopped = true;
        var shim = new ShimClient(_paths.BundleOf(container.Id));
        await shim.KillAsync(number, cancellationToken);
        await ThawAfterSignalAsync(container, cancellationToken);
        PublishKill(container, number);
        if (number == 9) await RuntimeOf(container.Id).Exited.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }

    /// <summary>Cancels a pending policy restart under the container's lock; false when none was pending.</summary>
    private async Task<bool> CancelRestartLockedAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        var runtime = RuntimeOf(container.Id);
        await runtime.Lock.WaitAsync(cancellationToken);
        try
        {
            return CancelPendingRestart(container, runtime);
        }
        finally
        {
            runtime.Lock.Release();
        }
    }

    public async Task RestartAsync(string idOrName, int? timeoutSeconds, string? signal, CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        if (container.State.Running) await StopAsync(idOrName, timeoutSeconds, signal, cancellationToken);
        await StartAsync(container.Id, cancellationToken);
        Publish(container, "restart");
    }
}
