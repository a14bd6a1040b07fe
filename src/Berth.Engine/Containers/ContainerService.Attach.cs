using System.Net.Sockets;
using Berth.Engine.Runtime.Shim;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Attaches to a container's stdio. Running: a stream from its shim now. Not running: the stream arrives when the
    /// container next starts (docker run and start -a attach first, then start). The stream carries Docker's framing
    /// (raw for TTY containers) and ends when the container's output ends.
    /// </summary>
    /// <remarks>
    /// The outer task completes once the attach is registered (so the client may be told to go ahead and start the
    /// container); the inner task completes with the stream. <paramref name="clientOutput"/> completes once the client
    /// has been answered: with its connection when the shim may write the output to it directly (the stream then
    /// carries no output and just ends with it), or with null.
    /// </remarks>
    public Task<Task<Stream>> BeginAttachAsync(string idOrName, bool stdin, bool stdout, bool stderr, CancellationToken cancellationToken) =>
        BeginAttachAsync(idOrName, stdin, stdout, stderr, Task.FromResult<Socket?>(null), cancellationToken);

    /// <summary>As <see cref="BeginAttachAsync(string, bool, bool, bool, CancellationToken)"/>.</summary>
    public async Task<Task<Stream>> BeginAttachAsync(string idOrName, bool stdin, bool stdout, bool stderr, Task<Socket?> clientOutput,
        CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        if (container.State.Paused) throw BerthException.Conflict($"container {container.Id} is paused, unpause the container before attach");
        var runtime = RuntimeOf(container.Id);
        stdin &= container.Config.OpenStdin;
        PendingAttach? pending = null;
        await runtime.Lock.WaitAsync(cancellationToken);
        try
        {
            if (container.State.Running)
            {
                Publish(container, "attach");
                var shim = new ShimClient(_paths.BundleOf(container.Id));
                if (clientOutput.IsCompletedSuccessfully && clientOutput.Result is null)
                    return Task.FromResult(await shim.AttachAsync(stdin, stdout, stderr, cancellationToken));
                // The client's connection can be handed over only once it has been answered, which happens after
                // this returns; as with Docker, output from before the attach completes is not delivered.
                return AttachWhenAnsweredAsync(shim, stdin, stdout, stderr, clientOutput, cancellationToken);
            }
            pending = new PendingAttach(stdin, stdout, stderr, clientOutput, new TaskCompletionSource<Stream>(TaskCreationOptions.RunContinuationsAsynchronously));
            lock (runtime.PendingAttaches) runtime.PendingAttaches.Add(pending);
        }
        finally
        {
            runtime.Lock.Release();
        }
        Publish(container, "attach");
        var registration = cancellationToken.Register(() =>
        {
            lock (runtime.PendingAttaches) runtime.PendingAttaches.Remove(pending);
            pending.Stream.TrySetCanceled(cancellationToken);
        });
        _ = pending.Stream.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        return pending.Stream.Task;
    }

    private static async Task<Stream> AttachWhenAnsweredAsync(ShimClient shim, bool stdin, bool stdout, bool stderr, Task<Socket?> clientOutput,
        CancellationToken cancellationToken)
    {
        var output = await clientOutput.WaitAsync(cancellationToken);
        return await shim.AttachAsync(stdin, stdout, stderr, output, cancellationToken);
    }

    private static async Task ConnectPendingAttachesAsync(ContainerRuntime runtime, ShimClient shim, CancellationToken cancellationToken)
    {
        List<PendingAttach> pending;
        lock (runtime.PendingAttaches)
        {
            pending = [.. runtime.PendingAttaches];
            runtime.PendingAttaches.Clear();
        }
        foreach (var attach in pending)
        {
            if (attach.Stream.Task.IsCompleted) continue;
            // Answered long since: the client starts the container only after its attach was answered.
            var output = await attach.ClientOutput.WaitAsync(cancellationToken);
            var stream = await shim.AttachAsync(attach.Stdin, attach.Stdout, attach.Stderr, output, cancellationToken);
            if (!attach.Stream.TrySetResult(stream)) await stream.DisposeAsync();
        }
    }

    private static void FailPendingAttaches(ContainerRuntime runtime, Exception error)
    {
        List<PendingAttach> pending;
        lock (runtime.PendingAttaches)
        {
            pending = [.. runtime.PendingAttaches];
            runtime.PendingAttaches.Clear();
        }
        foreach (var attach in pending) attach.Stream.TrySetException(error);
    }

    /// <summary>An attach that only replays the log (stream=0): dockerd announces it all the same.</summary>
    public void PublishAttach(string idOrName) => Publish(_store.Get(idOrName), "attach");

    /// <summary>A client typed the detach keys: Docker's "detach" event.</summary>
    public void PublishDetach(string idOrName) => Publish(_store.Get(idOrName), "detach");

    /// <summary>Sets the TTY's window size of a running container; Docker's "resize" event.</summary>
    public async Task ResizeAsync(string idOrName, int height, int width, CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        if (!container.State.Running) throw BerthException.Conflict($"Container {container.Id} is not running");
        await new ShimClient(_paths.BundleOf(container.Id)).ResizeAsync(height, width, cancellationToken);
        Publish(container, "resize", new Dictionary<string, string>
        {
            ["height"] = height.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["width"] = width.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }
}
