using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Berth.Engine.Networks.Ports;

/// <summary>
/// Forwards datagrams from a bound host socket to the container: each client address gets its own socket towards
/// the container (a flow), whose replies go back to that client; flows idle for longer than the timeout are closed.
/// </summary>
internal sealed class UdpProxy : IAsyncDisposable
{
    private const int MaxDatagram = 65535;
    private readonly Socket _front;
    private readonly IPEndPoint _backend;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<IPEndPoint, Flow> _flows = new();
    private readonly Task _receiveLoop;
    private readonly Task _sweepLoop;

    public UdpProxy(Socket front, IPEndPoint backend, TimeSpan idleTimeout)
    {
        _front = front;
        _backend = backend;
        _idleTimeout = idleTimeout;
        _receiveLoop = ReceiveLoopAsync();
        _sweepLoop = SweepLoopAsync();
    }

    public int FlowCount => _flows.Count;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _front.Dispose();
        await Task.WhenAll(_receiveLoop, _sweepLoop).ConfigureAwait(false);
        foreach (var flow in _flows.Values) flow.Close();
        await Task.WhenAll(_flows.Values.Select(flow => flow.ReplyLoop)).ConfigureAwait(false);
        _flows.Clear();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[MaxDatagram];
        EndPoint any = new IPEndPoint(_front.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _front.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error for an earlier reply to a client that went away: keep serving.
                continue;
            }
            try
            {
                var flow = FlowFor((IPEndPoint)result.RemoteEndPoint);
                flow.Touch();
                await flow.Backend.SendAsync(buffer.AsMemory(0, result.ReceivedBytes), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The container refused the datagram, or the flow was just closed for idleness: drop it.
            }
        }
    }

    private Flow FlowFor(IPEndPoint client)
    {
        if (_flows.TryGetValue(client, out var flow) && !flow.Closed) return flow;
        if (flow is not null) _flows.TryRemove(new KeyValuePair<IPEndPoint, Flow>(client, flow));
        flow = OpenFlow(client);
        _flows[client] = flow;
        return flow;
    }

    private Flow OpenFlow(IPEndPoint client)
    {
        var backend = new Socket(_backend.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        backend.Connect(_backend);
        var flow = new Flow(client, backend);
        flow.ReplyLoop = ReplyLoopAsync(flow);
        return flow;
    }

    private async Task ReplyLoopAsync(Flow flow)
    {
        byte[] buffer = new byte[MaxDatagram];
        while (!flow.Closed)
        {
            try
            {
                int received = await flow.Backend.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                flow.Touch();
                await _front.SendToAsync(buffer.AsMemory(0, received), SocketFlags.None, flow.Client, _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // Nothing listens in the container (yet): the next datagram may find it.
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
        }
        _flows.TryRemove(new KeyValuePair<IPEndPoint, Flow>(flow.Client, flow));
        flow.Close();
    }

    private async Task SweepLoopAsync()
    {
        var period = TimeSpan.FromTicks(Math.Clamp(_idleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(10).Ticks));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                long now = Environment.TickCount64;
                foreach (var flow in _flows.Values)
                    if (now - flow.LastActive > _idleTimeout.TotalMilliseconds) flow.Close();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Flow(IPEndPoint client, Socket backend)
    {
        private long _lastActive = Environment.TickCount64;
        private int _closed;

        public IPEndPoint Client { get; } = client;
        public Socket Backend { get; } = backend;
        public Task ReplyLoop { get; set; } = Task.CompletedTask;
        public long LastActive => Volatile.Read(ref _lastActive);
        public bool Closed => Volatile.Read(ref _closed) != 0;

        public void Touch() => Volatile.Write(ref _lastActive, Environment.TickCount64);

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0) Backend.Dispose();
        }
    }
}
