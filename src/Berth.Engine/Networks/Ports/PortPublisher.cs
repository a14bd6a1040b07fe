using System.Net;
using System.Net.Sockets;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Ports;

/// <summary>
/// Publishes container ports on the host with an in-daemon userland proxy (no docker-proxy process, no NAT rules).
/// All bindings of a container succeed or none is left behind, and failures carry dockerd's messages. One instance
/// per daemon, so that its <see cref="PortAllocator"/> sees every port the daemon holds.
/// </summary>
public sealed class PortPublisher(PortAllocator allocator, PortPublisherOptions? options = null)
{
    /// <summary>How many taken ports of a range or of the ephemeral range to skip before giving up.</summary>
    private const int MaxBindAttempts = 100;
    private readonly PortPublisherOptions _options = options ?? new PortPublisherOptions();
    private readonly Lazy<bool> _ipv6 = new(ProbeIPv6);

    public PortAllocator Allocator { get; } = allocator;

    /// <summary>Binds every request for a container at <paramref name="containerAddress"/> and starts forwarding.</summary>
    /// <param name="endpointName">For the error text: dockerd names the endpoint after the container.</param>
    /// <param name="containerAddress6">The container's IPv6 address on a dual-stack network: IPv6 host addresses proxy
    /// to it, as docker-proxy does; without one they proxy to the IPv4 address.</param>
    public async Task<PortPublication> PublishAsync(IPAddress containerAddress, IReadOnlyList<PortBindingRequest> requests,
        string endpointName, string endpointId, IPAddress? containerAddress6 = null)
    {
        var published = new List<PublishedPort>();
        var proxies = new List<IAsyncDisposable>();
        var held = new List<(IReadOnlyList<IPAddress> Addresses, PortProtocol Protocol, int Port)>();
        void Release()
        {
            foreach (var (addresses, protocol, port) in held) Allocator.Release(addresses, protocol, port);
        }
        try
        {
            foreach (var request in requests)
            {
                var addresses = HostAddresses(request);
                var (port, sockets) = Bind(request, addresses);
                held.Add((addresses, request.ContainerPort.Protocol, port));
                for (int i = 0; i < sockets.Count; i++)
                {
                    var target = containerAddress6 is not null && addresses[i].AddressFamily == AddressFamily.InterNetworkV6
                        ? containerAddress6 : containerAddress;
                    var backend = new IPEndPoint(target, request.ContainerPort.Port);
                    proxies.Add(request.ContainerPort.Protocol == PortProtocol.Udp
                        ? new UdpProxy(sockets[i], backend, _options.UdpIdleTimeout)
                        : new TcpProxy(sockets[i], backend));
                    published.Add(new PublishedPort(request.ContainerPort, addresses[i], port));
                }
            }
            return new PortPublication(published, proxies, Release);
        }
        catch (BerthException exception)
        {
            foreach (var proxy in proxies) await proxy.DisposeAsync().ConfigureAwait(false);
            Release();
            // dockerd answers 500 for every failure to publish; only "not supported" keeps its own kind.
            var kind = exception.Kind == ErrorKind.NotImplemented ? ErrorKind.NotImplemented : ErrorKind.Internal;
            throw new BerthException(kind,
                $"driver failed programming external connectivity on endpoint {endpointName} ({endpointId}): {exception.Message}");
        }
    }

    /// <summary>
    /// Publishes a TCP port of a swarm service's routing mesh on every host address: each connection is forwarded
    /// to the backend <paramref name="pickBackend"/> chooses when it arrives (null closes it: no task is running).
    /// </summary>
    public PortPublication PublishMesh(int port, Func<IPEndPoint?> pickBackend)
    {
        var request = new PortBindingRequest(new ContainerPort(port, PortProtocol.Tcp), null, port, port);
        var addresses = HostAddresses(request);
        var (bound, sockets) = Bind(request, addresses);
        var proxies = new List<IAsyncDisposable>();
        var published = new List<PublishedPort>();
        for (int i = 0; i < sockets.Count; i++)
        {
            proxies.Add(new TcpProxy(sockets[i], pickBackend));
            published.Add(new PublishedPort(request.ContainerPort, addresses[i], bound));
        }
        return new PortPublication(published, proxies, () => Allocator.Release(addresses, PortProtocol.Tcp, bound));
    }

    private IReadOnlyList<IPAddress> HostAddresses(PortBindingRequest request)
    {
        if (request.ContainerPort.Protocol == PortProtocol.Sctp)
            throw BerthException.NotImplemented($"publishing SCTP port {request.ContainerPort} is not supported");
        if (request.HostIp is { } address) return [address];
        // dockerd publishes an address-less binding on both wildcards and lists both in NetworkSettings.Ports.
        return _ipv6.Value ? [IPAddress.Any, IPAddress.IPv6Any] : [IPAddress.Any];
    }

    /// <summary>Reserves a port for every address and binds its sockets; skips ports other programs hold when it may choose.</summary>
    private (int Port, List<Socket> Sockets) Bind(PortBindingRequest request, IReadOnlyList<IPAddress> addresses)
    {
        var protocol = request.ContainerPort.Protocol;
        bool mayChoose = request.IsEphemeral || request.HostPortStart != request.HostPortEnd;
        int attempts = 0;
        foreach (int port in Allocator.Candidates(addresses, protocol, request.HostPortStart, request.HostPortEnd))
        {
            if (!Allocator.TryAllocate(addresses, protocol, port)) continue;
            var sockets = new List<Socket>(addresses.Count);
            try
            {
                foreach (var address in addresses) sockets.Add(BindSocket(address, protocol, port));
                if (request.IsEphemeral) Allocator.NoteEphemeral(addresses, protocol, port);
                return (port, sockets);
            }
            catch (SocketException exception)
            {
                foreach (var socket in sockets) socket.Dispose();
                Allocator.Release(addresses, protocol, port);
                if (!mayChoose || exception.SocketErrorCode != SocketError.AddressAlreadyInUse || ++attempts >= MaxBindAttempts)
                    throw BerthException.Internal($"Error starting userland proxy: listen {GoNetwork(addresses[sockets.Count], protocol)} " +
                        $"{GoAddress(addresses[sockets.Count], port)}: bind: {BindError(exception)}");
            }
        }
        if (request.IsEphemeral) throw BerthException.Unavailable("all ports are allocated");
        throw BerthException.Conflict($"Bind for {GoAddress(addresses[0], request.HostPortText)} failed: port is already allocated");
    }

    private static Socket BindSocket(IPAddress address, PortProtocol protocol, int port)
    {
        var socket = protocol == PortProtocol.Udp
            ? new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // An IPv6 wildcard must not also claim IPv4: 0.0.0.0 has its own socket.
            if (address.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
            // As Go's listeners (docker-proxy) do: a port whose old connections linger in TIME_WAIT can be reused.
            if (protocol == PortProtocol.Tcp) SocketOptions.EnableReuseAddress(socket);
            socket.Bind(new IPEndPoint(address, port));
            if (protocol == PortProtocol.Tcp) socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool ProbeIPv6()
    {
        if (!Socket.OSSupportsIPv6) return false;
        try
        {
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = false };
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string GoNetwork(IPAddress address, PortProtocol protocol) =>
        (protocol == PortProtocol.Udp ? "udp" : "tcp") + (address.AddressFamily == AddressFamily.InterNetwork ? "4" : "6");

    private static string GoAddress(IPAddress address, object port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";

    private static string BindError(SocketException exception) => exception.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "cannot assign requested address",
        SocketError.AccessDenied => "permission denied",
        _ => exception.Message,
    };
}
