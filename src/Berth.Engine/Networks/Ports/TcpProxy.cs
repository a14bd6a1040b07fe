using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Berth.Engine.Networks.Ports;

/// <summary>
/// Forwards every connection accepted on a bound host socket to the container's address, moving both directions
/// with splice (pooled buffers where splice is refused) and passing on half-closes (a client's FIN becomes a FIN
/// towards the container, and back).
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private const int BufferSize = 128 * 1024;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private readonly Socket _listener;
    private readonly Func<IPEndPoint?> _pickBackend;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly Task _acceptLoop;

    public TcpProxy(Socket listener, IPEndPoint backend) : this(listener, () => backend)
    {
    }

    /// <summary>A proxy whose backend is chosen per connection (the swarm's routing mesh); null refuses the connection.</summary>
    public TcpProxy(Socket listener, Func<IPEndPoint?> pickBackend)
    {
        _listener = listener;
        _pickBackend = pickBackend;
        _acceptLoop = AcceptLoopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // Out of descriptors or an aborted handshake: keep serving, but don't spin.
                try
                {
                    await Task.Delay(50, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            var connection = ServeAsync(client);
            _connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(static (task, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(task, out _),
                _connections, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var connectionStop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var target = _pickBackend();
        if (target is null)
        {
            client.Dispose();
            return;
        }
        using var backend = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            client.NoDelay = true;
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(connectionStop.Token))
            {
                connectTimeout.CancelAfter(ConnectTimeout);
                await backend.ConnectAsync(target, connectTimeout.Token).ConfigureAwait(false);
            }
            // splice needs non-blocking descriptors from the first call on; async operations never block anyway.
            client.Blocking = false;
            backend.Blocking = false;
            var toBackend = PumpAsync(client, backend, connectionStop);
            var toClient = PumpAsync(backend, client, connectionStop);
            await Task.WhenAll(toBackend, toClient).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The container is not listening, or the proxy is stopping: the client just sees its connection close.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Moves one direction until end of stream, then half-closes the other side; any error ends both.</summary>
    private static async Task PumpAsync(Socket from, Socket to, CancellationTokenSource connectionStop)
    {
        var token = connectionStop.Token;
        try
        {
            using (var splice = SplicePump.TryCreate())
            {
                if (splice is null || !await splice.RunAsync(from, to, token).ConfigureAwait(false))
                    await CopyAsync(from, to, token).ConfigureAwait(false);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset on either side ends the whole connection: cancelling wakes the other direction.
            connectionStop.Cancel();
        }
    }

    /// <summary>The portable path: pooled buffers through user space.</summary>
    private static async Task CopyAsync(Socket from, Socket to, CancellationToken token)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int received;
            while ((received = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, token).ConfigureAwait(false)) > 0)
                await to.SendAsync(buffer.AsMemory(0, received), SocketFlags.None, token).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
