using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;
using Berth.Engine.Networks.Ports;
using Xunit.Abstractions;

namespace Berth.IntegrationTests.Networks;

/// <summary>256 MiB through the userland proxy on 127.0.0.1, beside the same transfer direct and through docker-proxy.</summary>
public sealed class ProxyThroughputTests(ITestOutputHelper output)
{
    private const long Size = 256L * 1024 * 1024;
    private const string DockerProxy = "/usr/sbin/docker-proxy";

    [Fact]
    public async Task Proxy_moves_256_MiB_and_reports_its_throughput()
    {
        var (backend, loop, stop) = LoopbackServers.StartTcp(sendBytes: Size);
        try
        {
            var publisher = new PortPublisher(new PortAllocator());
            await using var publication = await publisher.PublishAsync(backend.Address,
                [new PortBindingRequest(new ContainerPort(backend.Port, PortProtocol.Tcp), IPAddress.Loopback, 0, 0)], "bench", "bench");
            int berthPort = publication.Ports[0].HostPort;
            BackgroundProcess? dockerProxy = null;
            int dockerPort = 0;
            if (File.Exists(DockerProxy))
            {
                dockerPort = FreePort();
                // docker-proxy reports readiness on fd 3, and fails without one.
                dockerProxy = BackgroundProcess.Start("sh", "-c", $"exec {DockerProxy} -proto tcp -host-ip 127.0.0.1 -host-port {dockerPort} " +
                    $"-container-ip 127.0.0.1 -container-port {backend.Port} 3>/dev/null");
                await WaitForListenerAsync(dockerPort);
            }
            using (dockerProxy)
            {
                // Rounds alternate so that a busy machine slows every contender alike; the first round warms up.
                var direct = new List<double>();
                var berth = new List<double>();
                var docker = new List<double>();
                for (int round = 0; round < Rounds + 1; round++)
                {
                    double d = await MeasureAsync(backend.Port), b = await MeasureAsync(berthPort);
                    double p = dockerProxy is null ? 0 : await MeasureAsync(dockerPort);
                    if (round == 0) continue;
                    direct.Add(d);
                    berth.Add(b);
                    docker.Add(p);
                }
                output.WriteLine($"256 MiB over 127.0.0.1, best/median of {Rounds}: direct {Summary(direct)}, berth proxy {Summary(berth)}" +
                    (dockerProxy is null ? "" : $", docker-proxy {Summary(docker)}"));
            }
        }
        finally
        {
            stop.Cancel();
            await loop;
        }
    }

    /// <summary>
    /// The path bench/network.sh measures, without a daemon: a server inside a namespace on a bridge, fetched on
    /// 127.0.0.1 through the Berth proxy and through docker-proxy in turn. The server's socket is made inside the
    /// namespace and served from this process, so that the server is not the bottleneck.
    /// </summary>
    [Fact]
    public async Task Proxy_to_a_namespace_on_a_bridge_moves_256_MiB()
    {
        using var env = new NetTestEnvironment();
        var driver = new BridgeDriver(env.Host, env.Names);
        var network = env.CreateNetwork(driver, "bench");
        string ns = env.CreateNamespace("s");
        var endpoint = new BridgeEndpoint(NetTestEnvironment.NewEndpointId(), ns, AddressAllocator.ForNetwork(network.Addressing, []).Allocate());
        driver.Connect(network, endpoint);
        var listening = NetworkNamespace.Run(ns, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Any, 0));
            socket.Listen();
            return socket;
        });
        var (server, loop, stop) = LoopbackServers.StartTcp(sendBytes: Size, listening);
        try
        {
            var publisher = new PortPublisher(new PortAllocator());
            await using var publication = await publisher.PublishAsync(endpoint.Address,
                [new PortBindingRequest(new ContainerPort(server.Port, PortProtocol.Tcp), IPAddress.Loopback, 0, 0)], "bench", endpoint.EndpointId);
            var ports = new List<(string Name, int Port)> { ("berth proxy", publication.Ports[0].HostPort) };
            BackgroundProcess? dockerProxy = null;
            if (File.Exists(DockerProxy))
            {
                int port = FreePort();
                dockerProxy = BackgroundProcess.Start("sh", "-c", $"exec {DockerProxy} -proto tcp -host-ip 127.0.0.1 -host-port {port} " +
                    $"-container-ip {endpoint.Address} -container-port {server.Port} 3>/dev/null");
                await WaitForListenerAsync(port);
                ports.Add(("docker-proxy", port));
            }
            using (dockerProxy)
            {
                var results = ports.ToDictionary(p => p.Name, _ => new List<double>());
                for (int round = 0; round < Rounds + 1; round++)
                    foreach (var (name, port) in ports)
                    {
                        double rate = await MeasureAsync(port);
                        if (round > 0) results[name].Add(rate);
                    }
                output.WriteLine($"256 MiB from a namespace on a bridge, best/median of {Rounds}: " +
                    string.Join(", ", results.Select(r => $"{r.Key} {Summary(r.Value)}")));
            }
        }
        finally
        {
            stop.Cancel();
            await loop;
        }
    }

    private const int Rounds = 5;

    private static string Summary(List<double> values) =>
        $"{values.Max():F0}/{values.Order().ElementAt(values.Count / 2):F0} MB/s";

    /// <summary>Reads the whole transfer from a port; MB/s (10^6 bytes per second).</summary>
    private static async Task<double> MeasureAsync(int port)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port);
        var buffer = new byte[256 * 1024];
        long total = 0;
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        int n;
        while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0) total += n;
        clock.Stop();
        Assert.Equal(Size, total);
        return total / clock.Elapsed.TotalSeconds / 1e6;
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static async Task WaitForListenerAsync(int port)
    {
        for (int i = 0; i < 200; i++)
        {
            if (File.ReadAllText("/proc/net/tcp").Contains($"0100007F:{port:X4} 00000000:0000 0A")) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"nothing listens on 127.0.0.1:{port}");
    }
}
