using System.Net.Security;
using System.Net.Sockets;
using Berth.Client.Hosts;

namespace Berth.Client.Http;

/// <summary>Opens byte streams to the daemon; shared by the HTTP handler and by hijacked connections.</summary>
public sealed class DaemonConnector(DaemonHost host, TlsSettings? tls)
{
    public DaemonHost Host { get; } = host;
    public TlsSettings? Tls { get; } = tls;

    /// <summary>The value of the HTTP Host header; docker uses a fixed name for unix sockets.</summary>
    public string HttpHost => Host.Transport == DaemonTransport.Unix ? "api.moby.localhost" : Host.Address;

    /// <summary>Connects a socket (no TLS); the caller owns it.</summary>
    public async Task<Socket> ConnectSocketAsync(CancellationToken cancellationToken)
    {
        Socket socket;
        if (Host.Transport == DaemonTransport.Unix)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Host.Address), cancellationToken);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                socket.Dispose();
                throw new DaemonUnreachableException(Host, e);
            }
            return socket;
        }
        socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(Host.Host, Host.Port, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            socket.Dispose();
            throw new DaemonUnreachableException(Host, e);
        }
        return socket;
    }

    /// <summary>Connects and, for a TLS daemon, authenticates; the returned stream owns the socket.</summary>
    public async Task<(Socket Socket, Stream Stream)> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = await ConnectSocketAsync(cancellationToken);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (Tls is not null && Host.Transport == DaemonTransport.Tcp)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsClientAsync(Tls.CreateAuthenticationOptions(Host.Host), cancellationToken);
            }
            catch
            {
                await ssl.DisposeAsync();
                throw;
            }
            stream = ssl;
        }
        return (socket, stream);
    }
}
