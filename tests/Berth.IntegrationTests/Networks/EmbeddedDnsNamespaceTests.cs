using System.Net;
using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Dns;

namespace Berth.IntegrationTests.Networks;

/// <summary>The embedded DNS bound at 127.0.0.11:53 inside a namespace, asked by busybox nslookup run in there.</summary>
public sealed class EmbeddedDnsNamespaceTests : IDisposable
{
    private readonly NetTestEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    private sealed class Records(Dictionary<string, IPAddress[]> names) : IDnsRecords
    {
        public IReadOnlyList<IPAddress>? Lookup(string name) => names.GetValueOrDefault(name);
        public string? ReverseLookup(IPAddress address) =>
            names.Where(e => e.Value.Contains(address)).Select(e => e.Key + ".nettest").FirstOrDefault();
    }

    private static string UdpTableOf(string netnsPath) =>
        Engine.Networks.Netlink.NetworkNamespace.Run(netnsPath, () => File.ReadAllText("/proc/thread-self/net/udp"));

    [Fact]
    public async Task Busybox_in_the_namespace_resolves_container_names_and_forwarded_names()
    {
        // The "host resolver" is another embedded DNS on the daemon's 127.0.0.1: a loopback upstream that a
        // container could never reach itself, reached here because forwarding happens from the daemon's namespace.
        var upstream = new EmbeddedDns(new DnsForwarder([]));
        await using var upstreamListener = upstream.Listen(new IPEndPoint(IPAddress.Loopback, 0),
            new Records(new() { ["example.org"] = [IPAddress.Parse("203.0.113.7")] }));

        string ns = _env.CreateNamespace("d");
        BridgeDriver.BringUpLoopback(ns);
        var server = new EmbeddedDns(new DnsForwarder([upstreamListener.UdpEndPoint]));
        var records = new Records(new()
        {
            ["web"] = [IPAddress.Parse("172.18.0.2")],
            ["db"] = [IPAddress.Parse("172.18.0.3"), IPAddress.Parse("172.18.0.4")],
        });
        await using (var listener = server.ListenInNamespace(ns, records))
        {
            Assert.Equal(new IPEndPoint(EmbeddedDns.ContainerAddress, 53), listener.UdpEndPoint);

            var web = await NetTestEnvironment.BusyboxInAsync(ns, "nslookup", "web", "127.0.0.11");
            Assert.True(web.ExitCode == 0, web.ToString());
            Assert.Contains("172.18.0.2", web.Stdout);

            var db = await NetTestEnvironment.BusyboxInAsync(ns, "nslookup", "db", "127.0.0.11");
            Assert.Contains("172.18.0.3", db.Stdout);
            Assert.Contains("172.18.0.4", db.Stdout);

            var forwarded = await NetTestEnvironment.BusyboxInAsync(ns, "nslookup", "example.org", "127.0.0.11");
            Assert.True(forwarded.ExitCode == 0, forwarded.ToString());
            Assert.Contains("203.0.113.7", forwarded.Stdout);

            var reverse = await NetTestEnvironment.BusyboxInAsync(ns, "nslookup", "172.18.0.2", "127.0.0.11");
            Assert.Contains("web.nettest", reverse.Stdout);

            // Nothing answers on the daemon's own 127.0.0.11: the sockets live only in the container's namespace.
            Assert.DoesNotContain("0B00007F:0035", File.ReadAllText("/proc/net/udp"));
            Assert.Contains("0B00007F:0035", UdpTableOf(ns));
        }

        // Disposing closes both sockets in the namespace.
        Assert.DoesNotContain("0B00007F:0035", UdpTableOf(ns));
    }
}
