using Berth.Engine.Events;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Swarm;

/// <summary>
/// The loop the orchestrator and a worker's tasks both run for the daemon's lifetime: one round at a time, on every
/// <see cref="Kick"/>, whenever a task's container starts, dies or goes, and once a second (so restart delays and update
/// batches come due). A kick during a round asks for one more round, which then sees the change.
/// </summary>
internal sealed partial class TaskLoop(Func<CancellationToken, Task> round, ILogger logger, string name)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Kick()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A round is already asked for.
        }
    }

    public async Task RunAsync(EventBus events, CancellationToken cancellationToken)
    {
        using var subscription = events.Subscribe(null);
        _ = WatchContainersAsync(subscription, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(Tick, cancellationToken);
                await round(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogRoundFailed(logger, name, exception);
            }
        }
    }

    /// <summary>A task's container that starts, dies or goes away is a change to act on at once, not at the next tick.</summary>
    private async Task WatchContainersAsync(EventBus.Subscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var engineEvent in subscription.Live.ReadAllAsync(cancellationToken))
                if (engineEvent.Type == "container" && engineEvent.Action is "die" or "destroy" or "start"
                    && engineEvent.Attributes.ContainsKey(TaskContainers.TaskIdLabel))
                    Kick();
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "swarm {Name} round failed")]
    private static partial void LogRoundFailed(ILogger logger, string name, Exception exception);
}
