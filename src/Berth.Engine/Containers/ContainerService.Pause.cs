using System.Diagnostics;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

/// <summary>
/// pause/unpause through the runtime's freezer (<c>runc pause|resume</c>, cgroup v1 freezer or v2 cgroup.freeze).
/// A paused container still counts as running; exec and attach refuse it, and a signal sent to it (stop, kill) is
/// followed by a resume so that it can act on it, as Docker does.
/// </summary>
public sealed partial class ContainerService
{
    public async Task PauseAsync(string idOrName, CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        var runtime = RuntimeOf(container.Id);
        await runtime.Lock.WaitAsync(cancellationToken);
        try
        {
            if (!container.State.Running) throw BerthException.Conflict($"Container {container.Id} is not running");
            if (container.State.Paused) throw BerthException.Conflict($"Container {container.Id} is already paused");
            await RunRuntimeAsync("pause", container, cancellationToken);
            container.State.Paused = true;
            container.State.Status = "paused";
            StopHealthMonitor(container, runtime);
            _store.Save(container);
        }
        finally
        {
            runtime.Lock.Release();
        }
        Publish(container, "pause");
    }

    public async Task UnpauseAsync(string idOrName, CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        var runtime = RuntimeOf(container.Id);
        await runtime.Lock.WaitAsync(cancellationToken);
        try
        {
            if (!container.State.Paused) throw BerthException.Conflict($"Container {container.Id} is not paused");
            await ResumeLockedAsync(container, cancellationToken);
        }
        finally
        {
            runtime.Lock.Release();
        }
        Publish(container, "unpause");
    }

    /// <summary>After a signal to a paused container: thaw it so that the signal takes effect.</summary>
    private async Task ThawAfterSignalAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        if (!container.State.Paused) return;
        try
        {
            await ResumeLockedAsync(container, cancellationToken);
            Publish(container, "unpause");
        }
        catch (BerthException e)
        {
            _logger.LogWarningResume(container.ShortId, e.Message);
        }
    }

    private async Task ResumeLockedAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        await RunRuntimeAsync("resume", container, cancellationToken);
        container.State.Paused = false;
        if (container.State.Status == "paused") container.State.Status = "running";
        StartHealthMonitor(container, RuntimeOf(container.Id), reset: false);
        _store.Save(container);
    }

    private Task RunRuntimeAsync(string verb, ContainerRecord container, CancellationToken cancellationToken) =>
        RunRuntimeAsync(verb, [], container, cancellationToken);

    /// <summary>Runs <c>RUNTIME [ARGS] --root … VERB [OPTIONS] ID</c>; a failure is an Internal error carrying the runtime's message.</summary>
    private async Task RunRuntimeAsync(string verb, IReadOnlyList<string> options, ContainerRecord container, CancellationToken cancellationToken)
    {
        var (exitCode, error) = await ExecRuntimeAsync(verb, options, container, cancellationToken);
        if (exitCode != 0)
            throw BerthException.Internal($"container {container.Id}: runc {verb} failed: {error}");
    }

    /// <summary>Runs the container's runtime and returns its exit code and, on failure, the message it logged.</summary>
    private async Task<(int ExitCode, string Error)> ExecRuntimeAsync(string verb, IReadOnlyList<string> options, ContainerRecord container,
        CancellationToken cancellationToken)
    {
        var info = RuntimeCommand(_options.Runtimes.Resolve(container.HostConfig.Runtime), verb, [.. options, container.Id]);
        using var process = Process.Start(info) ?? throw BerthException.Internal($"cannot run {info.FileName}");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, process.ExitCode == 0 ? "" : RuncMessages.ErrorOf(await errors));
    }

    /// <summary><c>PATH ARGS… --root ROOT VERB OPERANDS…</c>: the runtime's own args are global options, as the shim passes them.</summary>
    private ProcessStartInfo RuntimeCommand(Runtime.OciRuntime runtime, string verb, IEnumerable<string> operands)
    {
        var info = new ProcessStartInfo(runtime.Path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in runtime.Args.Concat(["--root", _paths.RuntimeRoot, verb]).Concat(operands)) info.ArgumentList.Add(arg);
        return info;
    }
}

internal static partial class PauseLog
{
    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "container {Id}: resume after a signal failed: {Message}")]
    public static partial void LogWarningResume(this Microsoft.Extensions.Logging.ILogger logger, string id, string message);
}
