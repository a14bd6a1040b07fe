using System.Net;
using System.Net.Sockets;

namespace Berth.Engine.Distribution.Http;

/// <summary>
/// Opens the TCP connections of registry requests itself (a <see cref="SocketsHttpHandler.ConnectCallback"/>) so that
/// a registry that cannot be reached fails with the words of Go's dialer, which Docker's daemon shows its users:
/// <c>dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host</c>,
/// <c>dial tcp 127.0.0.1:5000: connect: connection refused</c>.
/// </summary>
public static class RegistryDialer
{
    private const string ResolvConf = "/etc/resolv.conf";

    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var (host, port) = (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new IOException(LookupFailure(host, e.SocketErrorCode, NameServer(ResolvConf)), e);
            }
            if (addresses.Length == 0) throw new IOException(LookupFailure(host, SocketError.HostNotFound, NameServer(ResolvConf)));
        }

        SocketException? first = null;
        IPEndPoint? firstEndpoint = null;
        foreach (var address in addresses)
        {
            var endpoint = new IPEndPoint(address, port);
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                first ??= e;
                firstEndpoint ??= endpoint;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new IOException(ConnectFailure(firstEndpoint!, first!.SocketErrorCode, first.Message), first);
    }

    /// <summary>Go's text for a failed name lookup.</summary>
    public static string LookupFailure(string host, SocketError error, string nameServer) => error switch
    {
        SocketError.HostNotFound or SocketError.NoData => $"dial tcp: lookup {host} on {nameServer}: no such host",
        SocketError.TryAgain => $"dial tcp: lookup {host} on {nameServer}: server misbehaving",
        SocketError.TimedOut => $"dial tcp: lookup {host} on {nameServer}: i/o timeout",
        _ => $"dial tcp: lookup {host}: {error}",
    };

    /// <summary>Go's text for a refused or unroutable connection (<c>[::1]:5000</c> for IPv6, as Go writes it).</summary>
    public static string ConnectFailure(IPEndPoint endpoint, SocketError error, string message) =>
        $"dial tcp {endpoint}: connect: " + error switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.NetworkUnreachable => "network is unreachable",
            SocketError.HostUnreachable => "no route to host",
            SocketError.TimedOut => "connection timed out",
            _ => message.ToLowerInvariant(),
        };

    /// <summary>The first nameserver of resolv.conf as Go names it in lookup errors (its default when there is none).</summary>
    public static string NameServer(string resolvConf)
    {
        try
        {
            foreach (var line in File.ReadLines(resolvConf))
            {
                var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1], out var address))
                    return new IPEndPoint(address, 53).ToString();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "127.0.0.1:53";
    }
}
