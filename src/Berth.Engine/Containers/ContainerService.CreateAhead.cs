using System.Text.Json;
using Berth.Engine.Logs;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// Creating a new container ahead of its start. A client that creates a container and then starts it (docker run)
/// spends several milliseconds of its own between the two requests; runc create (most of a start) runs meanwhile, on
/// a copy of the record, and the start then only lets the process go. Nothing of this is visible: the record is not
/// touched (inspect shows no address, no pid), no event is sent, and the container's program does not run before the
/// start. A start whose record changed since (rename, network connect, update) undoes the early work and starts as
/// usual; so do removal, copying into the container, and the daemon stopping. Unstarted, it is undone after a second.
/// </summary>
public sealed partial class ContainerService
{
    private static readonly TimeSpan CreatedAheadLifetime = TimeSpan.FromSeconds(1);

    /// <summary>At most this many containers are created ahead at once (compose creates many before starting them).</summary>
    private const int MaxCreatedAhead = 2;

    private int _createdAhead;

    /// <summary>Set as the daemon stops: nothing more is created ahead, and what is gets undone.</summary>
    private volatile bool _createAheadStopped;

    /// <summary>Early creations in progress, so that a stopping daemon can wait for them and undo them.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, bool> _creatingAhead = new();

    /// <summary>After a create has been recorded: starts creating the container with runc in the background, if it may be.</summary>
    public void PrepareStartAhead(ContainerRecord container)
    {
        if (_createAheadStopped || !CreateAheadPolicy.Allows(container)) return;
        if (Interlocked.Increment(ref _createdAhead) > MaxCreatedAhead)
        {
            Interlocked.Decrement(ref _createdAhead);
            return;
        }
        var runtime = RuntimeOf(container.Id);
        var creating = Task.Run(() => CreateAheadAsync(container, runtime), CancellationToken.None);
        _creatingAhead[creating] = true;
        _ = creating.ContinueWith(done => _creatingAhead.TryRemove(done, out _), TaskScheduler.Default);
    }

    private async Task CreateAheadAsync(ContainerRecord container, ContainerRuntime runtime)
    {
        PreparedStart? prepared = null;
        try
        {
            // Whatever holds the lock already (the start itself, a removal) came first and goes its own way.
            if (!runtime.Lock.Wait(0)) return;
            try
            {
                if (_createAheadStopped || runtime.Prepared is not null || !ReferenceEquals(_store.TryGet(container.Id), container)
                    || !CreateAheadPolicy.Allows(container)) return;
                byte[] snapshot = SnapshotOf(container);
                var copy = JsonSerializer.Deserialize(snapshot, ContainerJsonContext.Default.ContainerRecord)!;
                var timings = _logger.IsEnabled(LogLevel.Debug) ? new PhaseTimings() : null;
                var launch = await LaunchLockedAsync(copy, LogSettings.Resolve(copy.HostConfig.LogConfig, copy, tryServer: false), timings, CancellationToken.None);
                if (_createAheadStopped)
                {
                    await ReleaseLaunchAsync(copy, launch);
                    return;
                }
                prepared = new PreparedStart(copy, snapshot, launch);
                runtime.Prepared = prepared;
                if (timings is not null) _logger.LogDebug("container {Id} created ahead of its start: {Timings}", container.ShortId, timings);
            }
            finally
            {
                runtime.Lock.Release();
            }
        }
        catch (Exception e)
        {
            // Everything made is undone already; the start will meet the same error and report it.
            _logger.LogDebug("creating container {Id} ahead of its start failed: {Message}", container.ShortId, e.Message);
        }
        finally
        {
            if (prepared is null) Interlocked.Decrement(ref _createdAhead);
        }
        if (prepared is not null) _ = DiscardWhenUnclaimedAsync(runtime, prepared);
    }

    private async Task DiscardWhenUnclaimedAsync(ContainerRuntime runtime, PreparedStart prepared)
    {
        await Task.Delay(CreatedAheadLifetime);
        await runtime.Lock.WaitAsync();
        try
        {
            if (ReferenceEquals(runtime.Prepared, prepared)) await DiscardPreparedStartLockedAsync(runtime);
        }
        finally
        {
            runtime.Lock.Release();
        }
    }

    /// <summary>
    /// At a start, with the lock held: the launch made ahead for this container, if there is one and the record is
    /// still the one it was made from (else it is undone and null returned).
    /// </summary>
    private async Task<LaunchedContainer?> TakePreparedStartLockedAsync(ContainerRecord container, ContainerRuntime runtime)
    {
        var prepared = runtime.Prepared;
        if (prepared is null) return null;
        if (!SnapshotOf(container).AsSpan().SequenceEqual(prepared.Snapshot))
        {
            await DiscardPreparedStartLockedAsync(runtime);
            return null;
        }
        runtime.Prepared = null;
        Interlocked.Decrement(ref _createdAhead);
        // What the launch made for the copy (the namespace, endpoints and addresses) is the container's now.
        container.Networking = prepared.Copy.Networking;
        return prepared.Launch;
    }

    /// <summary>With the lock held: undoes a container created ahead, if there is one.</summary>
    private async Task DiscardPreparedStartLockedAsync(ContainerRuntime runtime)
    {
        var prepared = runtime.Prepared;
        if (prepared is null) return;
        runtime.Prepared = null;
        Interlocked.Decrement(ref _createdAhead);
        await ReleaseLaunchAsync(prepared.Copy, prepared.Launch);
    }

    /// <summary>
    /// The daemon is stopping: containers created ahead go, those being created once runc is done (containers that
    /// were started keep running).
    /// </summary>
    public async Task DiscardPreparedStartsAsync(TimeSpan timeout)
    {
        _createAheadStopped = true;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await Task.WhenAll(_creatingAhead.Keys).WaitAsync(deadline.Token);
            foreach (var runtime in _runtime.Values)
            {
                if (runtime.Prepared is null) continue;
                await runtime.Lock.WaitAsync(deadline.Token);
                try
                {
                    await DiscardPreparedStartLockedAsync(runtime);
                }
                finally
                {
                    runtime.Lock.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("containers created ahead of their start not all undone in {Seconds} s; the next berthd undoes them", timeout.TotalSeconds);
        }
    }

    private static byte[] SnapshotOf(ContainerRecord container) =>
        JsonSerializer.SerializeToUtf8Bytes(container, ContainerJsonContext.Default.ContainerRecord);
}

/// <summary>A container runc created ahead of its start, from a copy of its record (<paramref name="Snapshot"/>).</summary>
internal sealed record PreparedStart(ContainerRecord Copy, byte[] Snapshot, LaunchedContainer Launch);
