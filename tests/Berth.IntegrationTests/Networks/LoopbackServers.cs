using System.Net;
using System.Net.Sockets;

namespace Berth.IntegrationTests.Networks;

/// <summary>Stand-ins for a container's servers, on 127.0.0.1: what the proxy forwards to.</summary>
public sealed class LoopbackServers
{
    /// <summary>
    /// A TCP server (on 127.0.0.1, or on a socket bound elsewhere, e.g. inside a namespace) that reads each connection to its end (the client's half-close) and answers with
    /// "got N bytes" before closing; or, with <paramref name="sendBytes"/>, just sends that many bytes and closes.
    /// </summary>
    public static (IPEndPoint EndPoint, Task Loop, CancellationTokenSource Stop) StartTcp(long sendBytes = 0, Socket? listening = null)
    {
        var listener = listening ?? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (listening is null)
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
        }
        var stop = new CancellationTokenSource();
        stop.Token.Register(listener.Dispose);
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptAsync(stop.Token);
                }
                catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        if (sendBytes > 0)
                        {
                            var chunk = new byte[256 * 1024];
                            for (long sent = 0; sent < sendBytes; sent += chunk.Length)
                                await client.SendAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, sendBytes - sent)));
                            client.Shutdown(SocketShutdown.Send);
                            return;
                        }
                        var buffer = new byte[65536];
                        long total = 0;
                        int n;
                        while ((n = await client.ReceiveAsync(buffer)) > 0) total += n;
                        await client.SendAsync(System.Text.Encoding.ASCII.GetBytes($"got {total} bytes"));
                        client.Shutdown(SocketShutdown.Send);
                    }
                });
            }
        });
        return ((IPEndPoint)listener.LocalEndPoint!, loop, stop);
    }

    /// <summary>A UDP server answering each datagram with "echo:{text} from:{sender port}".</summary>
    public static (IPEndPoint EndPoint, Task Loop, CancellationTokenSource Stop) StartUdpEcho()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var stop = new CancellationTokenSource();
        stop.Token.Register(socket.Dispose);
        var loop = Task.Run(async () =>
        {
            var buffer = new byte[65536];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                    string text = System.Text.Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
                    int port = ((IPEndPoint)received.RemoteEndPoint).Port;
                    await socket.SendToAsync(System.Text.Encoding.ASCII.GetBytes($"echo:{text} from:{port}"), received.RemoteEndPoint);
                }
                catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        });
        return ((IPEndPoint)socket.LocalEndPoint!, loop, stop);
    }
}
