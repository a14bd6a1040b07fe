using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Berth.Engine.Networks.Dns;

/// <summary>The embedded DNS serving one container (or one test endpoint); disposing closes its sockets.</summary>
public sealed class DnsListener : IAsyncDisposable
{
    private const int MaxTcpConnections = 32;
    private static readonly TimeSpan TcpIdleTimeout = TimeSpan.FromSeconds(10);
    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly IDnsRecords _records;
    private readonly EmbeddedDns _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private int _rotation;
    private int _tcpConnections;

    internal DnsListener(Socket udp, Socket tcp, IDnsRecords records, EmbeddedDns server)
    {
        _udp = udp;
        _tcp = tcp;
        _records = records;
        _server = server;
        UdpEndPoint = (IPEndPoint)udp.LocalEndPoint!;
        TcpEndPoint = (IPEndPoint)tcp.LocalEndPoint!;
        _udpLoop = UdpLoopAsync();
        _tcpLoop = TcpLoopAsync();
    }

    public IPEndPoint UdpEndPoint { get; }
    public IPEndPoint TcpEndPoint { get; }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Dispose();
        await Task.WhenAll(_udpLoop, _tcpLoop).ConfigureAwait(false);
        await Task.WhenAll(_inFlight.Keys).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task UdpLoopAsync()
    {
        var buffer = new byte[4096];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            byte[] query = buffer[..received.ReceivedBytes];
            // Each query on its own: a slow upstream must not hold up names answered locally.
            Track(AnswerUdpAsync(query, received.RemoteEndPoint));
        }
    }

    private async Task AnswerUdpAsync(byte[] query, EndPoint client)
    {
        try
        {
            byte[]? response = await _server.HandleAsync(query, _records, Interlocked.Increment(ref _rotation), overTcp: false, _stop.Token)
                .ConfigureAwait(false);
            if (response is not null) await _udp.SendToAsync(response, SocketFlags.None, client, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            if (Interlocked.Increment(ref _tcpConnections) > MaxTcpConnections)
            {
                Interlocked.Decrement(ref _tcpConnections);
                client.Dispose();
                continue;
            }
            Track(ServeTcpAsync(client));
        }
    }

    private async Task ServeTcpAsync(Socket client)
    {
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: true);
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                idle.CancelAfter(TcpIdleTimeout);
                byte[]? query = await DnsTcpFraming.ReadAsync(stream, idle.Token).ConfigureAwait(false);
                if (query is null) return;
                byte[]? response = await _server.HandleAsync(query, _records, Interlocked.Increment(ref _rotation), overTcp: true, _stop.Token)
                    .ConfigureAwait(false);
                if (response is null) return;
                await DnsTcpFraming.WriteAsync(stream, response, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref _tcpConnections);
        }
    }

    private void Track(Task task)
    {
        _inFlight.TryAdd(task, 0);
        _ = task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _),
            _inFlight, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
