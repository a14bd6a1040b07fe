using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Berth.Engine.Swarm.Cluster;

/// <summary>The worker's side of a connection: TCP to a manager address, TLS checked by the given callback, the hello and its reply.</summary>
public static class ClusterDialer
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>A connection whose hello was answered; the caller owns the stream (and the reply says whether it was accepted).</summary>
    public static async Task<(SslStream Stream, Socket Socket, ClusterReply Reply)> OpenAsync(string address, ClusterHello hello,
        RemoteCertificateValidationCallback validate, CancellationToken cancellationToken)
    {
        var (host, port) = SplitHostPort(address);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? tls = null;
        try
        {
            await socket.ConnectAsync(host, port, limit.Token);
            tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false, validate);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "swarm-manager",
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, limit.Token);
            await ClusterWire.WriteAsync(tls, hello, ClusterJsonContext.Default.ClusterHello, limit.Token);
            var reply = await ClusterWire.ReadAsync(tls, ClusterJsonContext.Default.ClusterReply, limit.Token)
                ?? throw new IOException("the manager closed the connection without a reply");
            return (tls, socket, reply);
        }
        catch
        {
            if (tls is not null) await tls.DisposeAsync(); else socket.Dispose();
            throw;
        }
    }

    /// <summary>host:port, [v6]:port, or a bare host (the swarm's default port).</summary>
    public static (string Host, int Port) SplitHostPort(string address)
    {
        if (address.StartsWith('['))
        {
            int close = address.IndexOf(']');
            string rest = address[(close + 1)..];
            return (address[1..close], rest.StartsWith(':') ? int.Parse(rest[1..], System.Globalization.CultureInfo.InvariantCulture) : SwarmManager.DefaultPort);
        }
        int colon = address.LastIndexOf(':');
        if (colon > 0 && address.IndexOf(':') == colon && int.TryParse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out int port))
            return (address[..colon], port);
        return (address, SwarmManager.DefaultPort);
    }
}
