using System.Net;
using System.Net.Sockets;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;

namespace Berth.IntegrationTests.Networks;

/// <summary>
/// "Beyond the host" made by the test itself: a network namespace joined to the host by a veth pair, addressed from
/// 198.18.0.0/15 (the benchmark range), with a TCP listener inside. The namespace has no route back to any bridge, so
/// a container's connection is answered only when the host masqueraded it behind <see cref="HostSide"/>.
/// </summary>
public sealed class OutsideHost
{
    private static readonly Lock PlanGate = new();

    private OutsideHost(string netnsPath, IPAddress hostSide, IPAddress address)
    {
        NetnsPath = netnsPath;
        HostSide = hostSide;
        Address = address;
    }

    public string NetnsPath { get; }

    /// <summary>The host's end of the link: what masqueraded traffic comes from.</summary>
    public IPAddress HostSide { get; }

    /// <summary>The outside's own address, where its listener is.</summary>
    public IPAddress Address { get; }

    /// <summary>Made in <paramref name="env"/>, which removes the namespace and the veth on dispose.</summary>
    public static OutsideHost Create(NetTestEnvironment env)
    {
        string netns = env.CreateNamespace("out");
        string hostEnd = env.LinkName("o");
        lock (PlanGate)
        {
            var taken = HostSubnets.Read(env.Host);
            for (int attempt = 0; attempt < 64; attempt++)
            {
                // A random /30 of 198.18.0.0/15 that no host route touches.
                uint network = (198u << 24) | (18u << 16) | ((uint)Random.Shared.Next(0, 1 << 15) << 2);
                var subnet = new Ipv4Subnet(network, 30);
                if (taken.Any(t => t.Overlaps(subnet))) continue;
                var hostSide = Ipv4Subnet.ToAddress(network + 1);
                var address = Ipv4Subnet.ToAddress(network + 2);
                using (var ns = NetworkNamespace.OpenNamespaceFile(netns))
                    env.Host.CreateVethPair(new VethPair(hostEnd, "eth0") { Up = true, PeerNamespace = ns });
                env.Host.AddAddress(hostEnd, hostSide, 30);
                env.Host.SetUp(hostEnd);
                using var inside = Rtnetlink.OpenInNamespace(netns);
                inside.SetUp("lo");
                inside.AddAddress("eth0", address, 30);
                inside.SetUp("eth0");
                return new OutsideHost(netns, hostSide, address);
            }
        }
        throw new InvalidOperationException("no free /30 in 198.18.0.0/15");
    }

    /// <summary>A TCP socket listening inside the outside namespace (a socket stays in the namespace it was made in).</summary>
    public Socket Listen(int port) => NetworkNamespace.Run(NetnsPath, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Any, port));
        socket.Listen();
        return socket;
    });

    /// <summary>
    /// Accepts connections for up to <paramref name="timeout"/>, answers each with "outside\n" and returns the source
    /// address of the first one; null when none came.
    /// </summary>
    public static async Task<IPAddress?> AcceptOneAsync(Socket listener, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var client = await listener.AcceptAsync(cts.Token);
            await client.SendAsync("outside\n"u8.ToArray(), SocketFlags.None);
            client.Shutdown(SocketShutdown.Both);
            return ((IPEndPoint)client.RemoteEndPoint!).Address;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
