using Berth.Api;

namespace Berth.Engine.Containers;

/// <summary>
/// One exec instance (POST /containers/{id}/exec) and what became of it. Kept in memory only, as Docker does:
/// a daemon restart forgets execs. Finished ones stay inspectable until their container is removed.
/// </summary>
public sealed class ExecRecord(string id, string containerId, ExecCreateRequest config)
{
    private readonly TaskCompletionSource<int> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;
    public string ContainerId { get; } = containerId;
    public ExecCreateRequest Config { get; } = config;
    public bool Started { get; internal set; }
    public bool Running { get; internal set; }
    public int? ExitCode { get; internal set; }
    public int Pid { get; internal set; }

    /// <summary>Completes with the exit code once the process has ended (or could not be run: 126).</summary>
    public Task<int> Finished => _finished.Task;

    internal void Finish(int exitCode)
    {
        Running = false;
        ExitCode = exitCode;
        _finished.TrySetResult(exitCode);
    }
}

/// <summary>An exec that has been started: its process's pid and, unless detached, its stdio stream.</summary>
public sealed record ExecStarted(ExecRecord Exec, Stream? Stream);
