using System.Net.Sockets;
using System.Net.WebSockets;
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
            bool logs = Query.Bool(context, "logs"), stream = Query.Bool(context, "stream");
            byte[] detachKeys = DetachKeys.Parse(Query.String(context, "detachKeys"));
            if (logs) AttachLogs.RequireReadable(container);
            if (!stream)
            {
                // Only the log so far (or nothing at all): no stream from the shim, as dockerd returns before attaching.
                var (replay, _) = await Hijack.AcceptAsync(context, Hijack.ContentTypeFor(context, container.Config.Tty));
                await using (replay)
                {
                    if (logs) await AttachLogs.WriteAsync(services, container, stdout, stderr, container.Config.Tty, replay, context.RequestAborted);
                    services.Containers.PublishAttach(container.Id);
                }
                return;
            }
            var answered = new TaskCompletionSource<Socket?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var shimStream = await services.Containers.BeginAttachAsync(id, stdin, stdout, stderr, answered.Task, context.RequestAborted);
            Stream client;
            bool canRead;
            try
            {
                (client, canRead) = await Hijack.AcceptAsync(context, Hijack.ContentTypeFor(context, container.Config.Tty));
                // The log goes out before the shim may be handed the client's socket for the live output.
                if (logs) await AttachLogs.WriteAsync(services, container, stdout, stderr, container.Config.Tty, client, context.RequestAborted);
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
        app.MapGet("/containers/{id}/attach/ws", context => WebSocketAttachAsync(context, services));
    }

    /// <summary>
    /// GET /containers/{id}/attach/ws: the attach over a websocket (browser consoles such as Portainer's). Never
    /// multiplexed; binary messages from API 1.28 on, text before; before API 1.42 all three streams whatever the
    /// query says, as dockerd does.
    /// </summary>
    private static async Task WebSocketAttachAsync(HttpContext context, DaemonServices services)
    {
        string id = (string)context.Request.RouteValues["id"]!;
        var container = services.Containers.Get(id);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            // What dockerd's websocket server answers to a request that is no websocket handshake.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("not websocket protocol", context.RequestAborted);
            return;
        }
        bool all = !RequestVersion.AtLeast(context, "1.42");
        bool stdin = all || Query.Bool(context, "stdin"), stdout = all || Query.Bool(context, "stdout"), stderr = all || Query.Bool(context, "stderr");
        bool logs = Query.Bool(context, "logs"), stream = Query.Bool(context, "stream");
        byte[] detachKeys = DetachKeys.Parse(Query.String(context, "detachKeys"));
        if (logs) AttachLogs.RequireReadable(container);
        var shimStream = stream ? await services.Containers.BeginAttachAsync(id, stdin, stdout, stderr, context.RequestAborted) : null;

        var messageType = RequestVersion.AtLeast(context, "1.28") ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        var client = new WebSocketAttachStream(await context.WebSockets.AcceptWebSocketAsync(), messageType, demultiplex: !container.Config.Tty);
        if (logs) await AttachLogs.WriteAsync(services, container, stdout, stderr, raw: true, client.Raw, context.RequestAborted);
        if (shimStream is null)
        {
            services.Containers.PublishAttach(container.Id);
            await client.DisposeAsync();
            return;
        }
        Stream shim;
        try
        {
            shim = await shimStream.WaitAsync(context.RequestAborted);
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            await client.DisposeAsync(); // the start failed: the client sees the session end
            return;
        }
        // The end of the client's messages is its close: the copy of its input sees it as the end of the stream.
        bool detached = await SpliceAsync(client, stdin && container.Config.OpenStdin, shim, Task.Delay(Timeout.Infinite, context.RequestAborted),
            context.RequestAborted, container.Config.Tty ? detachKeys : null, tty: container.Config.Tty);
        if (detached) services.Containers.PublishDetach(container.Id);
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
