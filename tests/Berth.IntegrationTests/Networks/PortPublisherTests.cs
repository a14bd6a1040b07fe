using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Engine.Networks.Ports;
using Berth.Oci.Errors;

namespace Berth.IntegrationTests.Networks;

/// <summary>The userland proxy on 127.0.0.1, forwarding to local stand-ins for container servers.</summary>
public sealed class PortPublisherTests
{
    private static readonly PortPublisher Publisher = new(PortAllocator.FromKernelRange(),
        new PortPublisherOptions { UdpIdleTimeout = TimeSpan.FromMilliseconds(300) });

    private static PortBindingRequest Tcp(int containerPort, IPAddress? hostIp, int hostPort = 0, int hostPortEnd = -1) =>
        new(new ContainerPort(containerPort, PortProtocol.Tcp), hostIp, hostPort, hostPortEnd < 0 ? hostPort : hostPortEnd);

    /// <summary>A port no one holds right now (bound and released).</summary>
    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [Fact]
    public async Task Tcp_round_trip_passes_half_close_both_ways()
    {
        var (backend, loop, stop) = LoopbackServers.StartTcp();
        await using (var publication = await Publisher.PublishAsync(backend.Address, [Tcp(backend.Port, IPAddress.Loopback)], "web", "ep1"))
        {
            var port = Assert.Single(publication.Ports);
            Assert.Equal(IPAddress.Loopback, port.HostIp);
            Assert.InRange(port.HostPort, Publisher.Allocator.EphemeralStart, Publisher.Allocator.EphemeralEnd);

            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(IPAddress.Loopback, port.HostPort);
            await client.SendAsync(new byte[100_000]);
            client.Shutdown(SocketShutdown.Send);
            string answer = await ReadToEndAsync(client);
            Assert.Equal("got 100000 bytes", answer);
        }
        stop.Cancel();
        await loop;
    }

    [Fact]
    public async Task Udp_round_trip_with_a_flow_per_client_that_expires_when_idle()
    {
        var (backend, loop, stop) = LoopbackServers.StartUdpEcho();
        var request = new PortBindingRequest(new ContainerPort(backend.Port, PortProtocol.Udp), IPAddress.Loopback, 0, 0);
        await using (var publication = await Publisher.PublishAsync(backend.Address, [request], "dns", "ep2"))
        {
            var published = new IPEndPoint(IPAddress.Loopback, publication.Ports.Single().HostPort);
            using var first = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            using var second = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            string a1 = await AskAsync(first, published, "a1");
            string a2 = await AskAsync(first, published, "a2");
            string b1 = await AskAsync(second, published, "b1");
            Assert.StartsWith("echo:a1 from:", a1);
            Assert.StartsWith("echo:b1 from:", b1);
            // One flow per client: the same source towards the container for one client, another for the next.
            Assert.Equal(SourcePort(a1), SourcePort(a2));
            Assert.NotEqual(SourcePort(a1), SourcePort(b1));
            // After the idle timeout the flow is gone and a new one (a new source port) is made.
            await Task.Delay(1200);
            string a3 = await AskAsync(first, published, "a3");
            Assert.NotEqual(SourcePort(a1), SourcePort(a3));
        }
        stop.Cancel();
        await loop;
    }

    [Fact]
    public async Task A_port_this_daemon_holds_fails_with_dockers_message_and_nothing_is_left_behind()
    {
        int taken = FreePort();
        int spare = FreePort();
        var backend = IPAddress.Loopback;
        await using (await Publisher.PublishAsync(backend, [Tcp(80, IPAddress.Loopback, taken)], "first", "ep1"))
        {
            var exception = await Assert.ThrowsAsync<BerthException>(() =>
                Publisher.PublishAsync(backend, [Tcp(81, IPAddress.Loopback, spare), Tcp(80, IPAddress.Loopback, taken)], "wizardly_visvesvaraya", "93eba1b6a5ff"));
            Assert.Equal($"driver failed programming external connectivity on endpoint wizardly_visvesvaraya (93eba1b6a5ff): " +
                $"Bind for 127.0.0.1:{taken} failed: port is already allocated", exception.Message);
            // The binding made before the failure was undone: its port is free for anyone.
            Assert.False(Publisher.Allocator.IsAllocated(IPAddress.Loopback, PortProtocol.Tcp, spare));
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, spare));
        }
        Assert.False(Publisher.Allocator.IsAllocated(IPAddress.Loopback, PortProtocol.Tcp, taken));
    }

    [Fact]
    public async Task A_port_another_program_holds_fails_like_docker_proxy()
    {
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.Listen();
        int port = ((IPEndPoint)other.LocalEndPoint!).Port;
        var exception = await Assert.ThrowsAsync<BerthException>(() => Publisher.PublishAsync(IPAddress.Loopback, [Tcp(80, IPAddress.Loopback, port)], "web", "ep3"));
        Assert.Equal($"driver failed programming external connectivity on endpoint web (ep3): " +
            $"Error starting userland proxy: listen tcp4 127.0.0.1:{port}: bind: address already in use", exception.Message);
        Assert.False(Publisher.Allocator.IsAllocated(IPAddress.Loopback, PortProtocol.Tcp, port));
    }

    [Fact]
    public async Task Two_daemons_never_share_a_port()
    {
        // Each berthd has its own allocator starting at the same ephemeral port: the kernel must keep them apart.
        var other = new PortPublisher(new PortAllocator(Publisher.Allocator.EphemeralStart, Publisher.Allocator.EphemeralEnd));
        var mine = new PortPublisher(new PortAllocator(Publisher.Allocator.EphemeralStart, Publisher.Allocator.EphemeralEnd));
        await using var first = await other.PublishAsync(IPAddress.Loopback, [Tcp(80, IPAddress.Loopback)], "a", "ep7");
        await using var second = await mine.PublishAsync(IPAddress.Loopback, [Tcp(80, IPAddress.Loopback)], "b", "ep8");
        Assert.NotEqual(first.Ports[0].HostPort, second.Ports[0].HostPort);
        int taken = first.Ports[0].HostPort;
        var exception = await Assert.ThrowsAsync<BerthException>(() => mine.PublishAsync(IPAddress.Loopback, [Tcp(80, IPAddress.Loopback, taken)], "c", "ep9"));
        Assert.EndsWith($"listen tcp4 127.0.0.1:{taken}: bind: address already in use", exception.Message);
    }

    [Fact]
    public async Task A_range_skips_ports_other_programs_hold()
    {
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.Listen();
        int port = ((IPEndPoint)other.LocalEndPoint!).Port;
        await using var publication = await Publisher.PublishAsync(IPAddress.Loopback, [Tcp(80, IPAddress.Loopback, port, port + 2)], "web", "ep4");
        Assert.InRange(publication.Ports.Single().HostPort, port + 1, port + 2);
    }

    [Fact]
    public async Task An_address_less_binding_listens_on_both_wildcards_with_one_port_and_maps_like_dockerd()
    {
        var (backend, loop, stop) = LoopbackServers.StartTcp();
        await using (var publication = await Publisher.PublishAsync(backend.Address, [Tcp(backend.Port, null)], "web", "ep5"))
        {
            Assert.Equal([IPAddress.Any, IPAddress.IPv6Any], publication.Ports.Select(p => p.HostIp));
            int port = publication.Ports[0].HostPort;
            Assert.All(publication.Ports, p => Assert.Equal(port, p.HostPort));
            var map = publication.ToPortMap([new ContainerPort(backend.Port, PortProtocol.Tcp), new ContainerPort(90, PortProtocol.Tcp)]);
            Assert.Null(map["90/tcp"]);
            Assert.Equal([("0.0.0.0", $"{port}"), ("::", $"{port}")], map[$"{backend.Port}/tcp"]!.Select(b => (b.HostIp, b.HostPort)));

            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(IPAddress.Loopback, port);
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal("got 0 bytes", await ReadToEndAsync(client));
        }
        stop.Cancel();
        await loop;
    }

    [Fact]
    public async Task A_closed_container_port_just_closes_the_clients_connection()
    {
        int closed = FreePort();
        await using var publication = await Publisher.PublishAsync(IPAddress.Loopback, [Tcp(closed, IPAddress.Loopback)], "web", "ep6");
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, publication.Ports[0].HostPort);
        var buffer = new byte[16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            Assert.Equal(0, await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token));
        }
        catch (SocketException exception)
        {
            Assert.Equal(SocketError.ConnectionReset, exception.SocketErrorCode);
        }
    }

    private static async Task<string> AskAsync(UdpClient client, IPEndPoint server, string text)
    {
        await client.SendAsync(Encoding.ASCII.GetBytes(text), server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var result = await client.ReceiveAsync(timeout.Token);
        return Encoding.ASCII.GetString(result.Buffer);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        var text = new StringBuilder();
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        return text.ToString();
    }

    private static string SourcePort(string reply) => reply[(reply.IndexOf("from:", StringComparison.Ordinal) + 5)..];
}
