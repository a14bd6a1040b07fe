using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

public enum WaitCondition { NotRunning, NextExit, Removed }

public sealed partial class ContainerService
{
    public static WaitCondition ParseWaitCondition(string? text) => text switch
    {
        null or "" or "not-running" => WaitCondition.NotRunning,
        "next-exit" => WaitCondition.NextExit,
        "removed" => WaitCondition.Removed,
        _ => throw BerthException.Invalid($"invalid condition: \"{text}\""),
    };

    /// <summary>
    /// Registers a wait and returns the task that completes with the exit code. Registration happens before this
    /// method returns, so a caller can answer its client's headers and only then start the container (docker run).
    /// </summary>
    public Task<int> RegisterWait(string idOrName, WaitCondition condition)
    {
        var container = _store.Get(idOrName);
        var runtime = RuntimeOf(container.Id);
        return condition switch
        {
            WaitCondition.NotRunning when !container.State.Running => Task.FromResult(container.State.ExitCode),
            WaitCondition.Removed => runtime.Removed.Task,
            _ => NextExit(runtime),
        };
    }

    /// <summary>The exit after the current one: the signal is replaced at every start, so follow it across a restart.</summary>
    private static async Task<int> NextExit(ContainerRuntime runtime)
    {
        var signal = runtime.Exited;
        if (signal.Task.IsCompleted)
        {
            // No run in progress yet (created, or exited): wait for the next start's signal to complete.
            while (runtime.Exited == signal) await Task.Delay(5);
            signal = runtime.Exited;
        }
        return await signal.Task;
    }
}
