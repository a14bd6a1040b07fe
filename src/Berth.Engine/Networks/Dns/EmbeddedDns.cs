using System.Net;
using System.Net.Sockets;
using Berth.Engine.Networks.Netlink;

namespace Berth.Engine.Networks.Dns;

/// <summary>
/// Docker's embedded DNS server without iptables: for each container the daemon binds 127.0.0.11:53 (UDP and TCP)
/// inside the container's network namespace, from a setns thread, and serves those sockets from its own async loop.
/// Queries for names of the container's networks are answered from <see cref="IDnsRecords"/>; the rest is forwarded
/// from the daemon's namespace to the host's resolvers.
/// </summary>
public sealed class EmbeddedDns(DnsForwarder forwarder)
{
    /// <summary>The address containers use as their nameserver (their resolv.conf says nameserver 127.0.0.11).</summary>
    public static readonly IPAddress ContainerAddress = IPAddress.Parse("127.0.0.11");

    public DnsForwarder Forwarder { get; } = forwarder;

    /// <summary>
    /// Starts serving a container: binds 127.0.0.11:53 in the namespace at <paramref name="netnsPath"/>. Its loopback
    /// must be up. Dispose the listener when the container stops: its sockets keep the namespace alive.
    /// </summary>
    public DnsListener ListenInNamespace(string netnsPath, IDnsRecords records) =>
        Start(NetworkNamespace.Run(netnsPath, () => BindPair(new IPEndPoint(ContainerAddress, 53))), records);

    /// <summary>Serves in the daemon's own namespace (tests; port 0 picks a free port for both protocols).</summary>
    public DnsListener Listen(IPEndPoint endpoint, IDnsRecords records)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return Start(BindPair(endpoint), records);
            }
            catch (SocketException exception) when (endpoint.Port == 0 && exception.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 10)
            {
                // The UDP port the kernel chose was taken for TCP: pick another.
            }
        }
    }

    private DnsListener Start((Socket Udp, Socket Tcp) sockets, IDnsRecords records) =>
        new(sockets.Udp, sockets.Tcp, records, this);

    /// <summary>Binds UDP then TCP on the same address and port; runs on the setns thread, so synchronous only.</summary>
    private static (Socket Udp, Socket Tcp) BindPair(IPEndPoint endpoint)
    {
        var udp = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var tcp = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            udp.Bind(endpoint);
            Ports.SocketOptions.EnableReuseAddress(tcp);
            tcp.Bind(new IPEndPoint(endpoint.Address, ((IPEndPoint)udp.LocalEndPoint!).Port));
            tcp.Listen(64);
            return (udp, tcp);
        }
        catch
        {
            udp.Dispose();
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>One query from a container: answered here, forwarded, or (malformed) dropped.</summary>
    internal async Task<byte[]?> HandleAsync(ReadOnlyMemory<byte> query, IDnsRecords records, int rotation, bool overTcp,
        CancellationToken cancellationToken)
    {
        switch (DnsResponder.Respond(query.Span, records, rotation, overTcp, out byte[]? response))
        {
            case DnsResponder.Outcome.Answered:
                return response;
            case DnsResponder.Outcome.Forward:
                return await Forwarder.ForwardAsync(query, overTcp, cancellationToken).ConfigureAwait(false)
                    ?? DnsResponder.ServerFailure(query.Span, overTcp);
            default:
                return null;
        }
    }
}
