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

    /// <summary>The next exit: the signal is only replaced once it has completed, so a waiter never misses it.</summary>
    private static Task<int> NextExit(ContainerRuntime runtime) => runtime.Exited.Task;
}
