using System.Net.Sockets;

namespace Berth.Engine.Containers;

/// <summary>
/// In-memory companions of a container record: the lock that serialises lifecycle operations, the signals that
/// waiters await, and attach streams waiting for the next start. Nothing here needs to survive a restart.
/// </summary>
internal sealed class ContainerRuntime
{
    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>Completed with the exit code when the current (or next) run ends; replaced once completed.</summary>
    public TaskCompletionSource<int> Exited { get; set; } = NewSignal();

    /// <summary>Completed when the container is removed.</summary>
    public TaskCompletionSource<int> Removed { get; } = NewSignal();

    /// <summary>Attach requests that arrived before the container started (docker run attaches, then starts).</summary>
    public List<PendingAttach> PendingAttaches { get; } = [];

    /// <summary>A container runc created ahead of its start (see ContainerService.CreateAhead.cs); guarded by <see cref="Lock"/>.</summary>
    public PreparedStart? Prepared { get; set; }

    public CancellationTokenSource? MonitorCancellation { get; set; }

    /// <summary>Set while the health monitor probes the container.</summary>
    public CancellationTokenSource? HealthCancellation { get; set; }

    /// <summary>Set while a restart policy waits out its back-off; cancelled by a stop, kill or removal by hand.</summary>
    public CancellationTokenSource? PendingRestart { get; set; }

    /// <summary>The restart policy's current back-off.</summary>
    public TimeSpan RestartDelay { get; set; }

    public static TaskCompletionSource<int> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>An attach waiting for the container's next start, completed with the shim's attach stream.</summary>
internal sealed record PendingAttach(bool Stdin, bool Stdout, bool Stderr, Task<Socket?> ClientOutput, TaskCompletionSource<Stream> Stream);
