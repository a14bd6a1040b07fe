using System.Net;
using System.Net.Sockets;

namespace Berth.Tests.Networks;

/// <summary>A pretend host resolver on 127.0.0.1: answers every A query with 203.0.113.7, over UDP and TCP.</summary>
internal sealed class FakeUpstreamDns : IAsyncDisposable
{
    public static readonly IPAddress Answer = IPAddress.Parse("203.0.113.7");
    private readonly Socket _udp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private int _queries;

    public FakeUpstreamDns()
    {
        _udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_udp.LocalEndPoint!;
        _tcp = new TcpListener(EndPoint);
        _tcp.Start();
        _udpLoop = UdpLoopAsync();
        _tcpLoop = TcpLoopAsync();
    }

    public IPEndPoint EndPoint { get; }
    public int Queries => Volatile.Read(ref _queries);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Stop();
        await Task.WhenAll(_udpLoop.ContinueWith(_ => { }), _tcpLoop.ContinueWith(_ => { }));
    }

    private static byte[] Respond(byte[] query)
    {
        int questionEnd = 12;
        DnsTestClient.ReadName(query, ref questionEnd);
        questionEnd += 4;
        var response = new List<byte>(query[..questionEnd]);
        response[2] = 0x81;
        response[3] = 0x80;
        response[7] = 1;
        response[11] = 0;
        response.AddRange([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
        response.AddRange(Answer.GetAddressBytes());
        return [.. response];
    }

    private async Task UdpLoopAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            var received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            Interlocked.Increment(ref _queries);
            await _udp.SendToAsync(Respond(buffer[..received.ReceivedBytes]), SocketFlags.None, received.RemoteEndPoint);
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            var stream = client.GetStream();
            var prefix = new byte[2];
            await stream.ReadExactlyAsync(prefix, _stop.Token);
            var query = new byte[(prefix[0] << 8) | prefix[1]];
            await stream.ReadExactlyAsync(query, _stop.Token);
            Interlocked.Increment(ref _queries);
            var response = Respond(query);
            await stream.WriteAsync(new[] { (byte)(response.Length >> 8), (byte)response.Length }.Concat(response).ToArray(), _stop.Token);
        }
    }
}
