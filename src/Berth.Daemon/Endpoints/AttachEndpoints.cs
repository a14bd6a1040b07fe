using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;

namespace Berth.Daemon.Endpoints;

/// <summary>POST /containers/{id}/attach: the client's hijacked connection spliced to the container's shim.</summary>
public static class AttachEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        app.MapPost("/containers/{id}/attach", async context =>
        {
            string id = (string)context.Request.RouteValues["id"]!;
            var container = services.Containers.Get(id);
            bool stdin = Query.Bool(context, "stdin"), stdout = Query.Bool(context, "stdout"), stderr = Query.Bool(context, "stderr");
            byte[] detachKeys = DetachKeys.Parse(Query.String(context, "detachKeys"));
            var answered = new TaskCompletionSource<Socket?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var shimStream = await services.Containers.BeginAttachAsync(id, stdin, stdout, stderr, answered.Task, context.RequestAborted);
            Stream client;
            bool canRead;
            try
            {
                (client, canRead) = await Hijack.AcceptAsync(context, Hijack.ContentTypeFor(context, container.Config.Tty));
                answered.SetResult(DirectOutputOf(client));
            }
            finally
            {
                answered.TrySetResult(null);
            }
            Stream shim;
            try
            {
                shim = await shimStream.WaitAsync(context.RequestAborted);
            }
            catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
            {
                await client.DisposeAsync(); // the start failed: the client sees the stream end, the start call reports why
                return;
            }
            bool detached = await SpliceAsync(client, canRead && stdin, shim, Hijack.ClientFinished(context), context.RequestAborted, detachKeys,
                tty: container.Config.Tty);
            if (detached) services.Containers.PublishDetach(container.Id);
        });
    }

    /// <summary>
    /// The client's socket when the shim may write the container's output to it itself: a connection taken over with
    /// nothing in between (no TLS). The daemon then only forwards stdin and waits for the shim's end of stream.
    /// </summary>
    public static Socket? DirectOutputOf(Stream client) => client is IDirectOutput { DirectSocket: { } socket } ? socket : null;

    /// <summary>
    /// Copies the container's output to the client until it ends, and the client's input to the container until the
    /// client half-closes (<paramref name="clientFinished"/>); then the container's stdin is closed through a
    /// half-close towards the shim. With <paramref name="detachKeys"/>, typing that sequence ends the splice at once
    /// (the container goes on); the result is then true. With <paramref name="tty"/> the end of the client's input ends
    /// the session instead of closing the process's stdin (Docker's rule: the docker CLI detects its detach keys itself
    /// and then just half-closes). <paramref name="beforeClose"/> runs after the output ended and before the client's
    /// connection is closed (exec: the exit code must be known when the client asks).
    /// </summary>
    public static async Task<bool> SpliceAsync(Stream client, bool forwardInput, Stream shim, Task clientFinished, CancellationToken cancellationToken,
        byte[]? detachKeys = null, Func<Task>? beforeClose = null, bool tty = false)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var detached = new StrongBox<bool>();
        Task input = forwardInput ? ForwardInputAsync(client, shim, clientFinished, detachKeys, detached, tty, done) : Task.CompletedTask;
        try
        {
            // Where the shim was given the client's connection this stream carries no output and just ends with it.
            await shim.CopyToAsync(client, 1 << 16, done.Token);
            await client.FlushAsync(done.Token);
            if (beforeClose is not null) await beforeClose();
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            // a client that hangs up mid-stream loses nothing: the container and its log go on
        }
        finally
        {
            await done.CancelAsync();
            await input;
            await shim.DisposeAsync();
            await client.DisposeAsync();
        }
        return detached.Value;
    }

    private static async Task ForwardInputAsync(Stream client, Stream shim, Task clientFinished, byte[]? detachKeys, StrongBox<bool> detached, bool tty,
        CancellationTokenSource done)
    {
        var cancellationToken = done.Token;
        try
        {
            // The copy ends by itself only for clients whose end of input the server sees as end of stream.
            var copy = detachKeys is { Length: > 0 }
                ? CopyWatchingForDetachAsync(client, shim, new DetachKeyScanner(detachKeys), detached, done)
                : client.CopyToAsync(shim, 1 << 16, cancellationToken);
            await Task.WhenAny(copy, clientFinished).WaitAsync(cancellationToken);
            if (detached.Value) return;
            if (tty)
            {
                await done.CancelAsync(); // the client is leaving; the process keeps its terminal and its stdin
                return;
            }
            if (shim is NetworkStream network) network.Socket.Shutdown(SocketShutdown.Send);
            await copy.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            // output finished first, or the client went away: nothing more to forward
        }
    }

    private static async Task CopyWatchingForDetachAsync(Stream client, Stream shim, DetachKeyScanner scanner, StrongBox<bool> detached, CancellationTokenSource done)
    {
        var buffer = new byte[1 << 16];
        var pass = new List<byte>(1 << 16);
        while (true)
        {
            int n = await client.ReadAsync(buffer, done.Token);
            if (n == 0) return;
            pass.Clear();
            bool detach = scanner.Scan(buffer.AsSpan(0, n), pass);
            if (pass.Count > 0)
            {
                await shim.WriteAsync(pass.ToArray(), done.Token);
            }
            if (detach)
            {
                detached.Value = true;
                await done.CancelAsync(); // ends the output copy: the client is let go, the process runs on
                return;
            }
        }
    }
    private static bool IsDisconnect(Exception e) =>
        e is IOException or OperationCanceledException or SocketException or ObjectDisposedException or Microsoft.AspNetCore.Connections.ConnectionResetException;
}
