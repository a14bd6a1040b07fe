using System.Net.Sockets;
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
            var shimStream = await services.Containers.BeginAttachAsync(id, stdin, stdout, stderr, context.RequestAborted);
            var (client, canRead) = await Hijack.AcceptAsync(context, Hijack.ContentTypeFor(context, container.Config.Tty));
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
            await SpliceAsync(client, canRead && stdin, shim, Hijack.ClientFinished(context), context.RequestAborted);
        });
    }

    /// <summary>
    /// Copies the container's output to the client until it ends, and the client's input to the container until the
    /// client half-closes (<paramref name="clientFinished"/>); then the container's stdin is closed through a
    /// half-close towards the shim.
    /// </summary>
    public static async Task SpliceAsync(Stream client, bool forwardInput, Stream shim, Task clientFinished, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task input = forwardInput ? ForwardInputAsync(client, shim, clientFinished, done.Token) : Task.CompletedTask;
        try
        {
            await shim.CopyToAsync(client, 1 << 16, done.Token);
            await client.FlushAsync(done.Token);
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            // a client that hangs up mid-stream loses nothing: the container and its log go on
        }
        finally
        {
            done.Cancel();
            await input;
            await shim.DisposeAsync();
            await client.DisposeAsync();
        }
    }

    private static async Task ForwardInputAsync(Stream client, Stream shim, Task clientFinished, CancellationToken cancellationToken)
    {
        try
        {
            // The copy ends by itself only for clients whose end of input the server sees as end of stream.
            var copy = client.CopyToAsync(shim, 1 << 16, cancellationToken);
            await Task.WhenAny(copy, clientFinished).WaitAsync(cancellationToken);
            if (shim is NetworkStream network) network.Socket.Shutdown(SocketShutdown.Send);
            await copy.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            // output finished first, or the client went away: nothing more to forward
        }
    }

    private static bool IsDisconnect(Exception e) =>
        e is IOException or OperationCanceledException or SocketException or ObjectDisposedException or Microsoft.AspNetCore.Connections.ConnectionResetException;
}
