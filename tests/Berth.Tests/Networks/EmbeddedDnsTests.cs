using System.Net;
using Berth.Engine.Networks.Dns;

namespace Berth.Tests.Networks;

/// <summary>The embedded DNS served on 127.0.0.1 (the namespace variant is in the integration tests).</summary>
public sealed class EmbeddedDnsTests : IAsyncLifetime
{
    private static readonly IPAddress Web1 = IPAddress.Parse("172.18.0.2");
    private static readonly IPAddress Web2 = IPAddress.Parse("172.18.0.3");
    private static readonly IPAddress Db = IPAddress.Parse("172.18.0.4");
    private static readonly IPAddress Dual4 = IPAddress.Parse("172.18.0.5");
    private static readonly IPAddress Dual6 = IPAddress.Parse("fd12:3456::5");
    private readonly FakeUpstreamDns _upstream = new();
    private DnsListener _listener = null!;

    public Task InitializeAsync()
    {
        var records = new FakeDnsRecords(new Dictionary<string, IPAddress[]>
        {
            ["web"] = [Web1, Web2],
            ["db"] = [Db],
            ["noaddress"] = [],
            ["dual"] = [Dual4, Dual6],
        });
        var server = new EmbeddedDns(new DnsForwarder([_upstream.EndPoint], TimeSpan.FromSeconds(2)));
        _listener = server.Listen(new IPEndPoint(IPAddress.Loopback, 0), records);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Container_names_are_answered_locally_over_udp_and_tcp()
    {
        var udp = await DnsTestClient.AskUdpAsync(_listener.UdpEndPoint, DnsTestClient.Query("db", DnsTestClient.A, id: 0x4242));
        Assert.Equal(0x4242, udp.Id);
        Assert.Equal(0, udp.Rcode);
        Assert.True(udp.Recursive);
        Assert.Equal([Db], udp.Addresses);

        var tcp = await DnsTestClient.AskTcpAsync(_listener.TcpEndPoint, DnsTestClient.Query("DB.", DnsTestClient.A));
        Assert.Equal([Db], tcp.Addresses);
        Assert.Equal(0, _upstream.Queries);
    }

    [Fact]
    public async Task An_alias_of_several_containers_rotates_its_answers()
    {
        var firsts = new HashSet<IPAddress>();
        for (int i = 0; i < 4; i++)
        {
            var reply = await DnsTestClient.AskUdpAsync(_listener.UdpEndPoint, DnsTestClient.Query("web", DnsTestClient.A));
            Assert.Equal(2, reply.Addresses.Count);
            Assert.Equal([Web1, Web2], reply.Addresses.Order(Comparer<IPAddress>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()))));
            firsts.Add(reply.Addresses[0]);
        }
        Assert.Equal(2, firsts.Count);
    }

    [Fact]
    public async Task Known_names_have_no_aaaa_and_are_not_forwarded()
    {
        var reply = await DnsTestClient.AskUdpAsync(_listener.UdpEndPoint, DnsTestClient.Query("web", DnsTestClient.Aaaa));
        Assert.Equal(0, reply.Rcode);
        Assert.Equal(0, reply.AnswerCount);
        var empty = await DnsTestClient.AskUdpAsync(_listener.UdpEndPoint, DnsTestClient.Query("noaddress", DnsTestClient.A));
        Assert.Equal(0, empty.AnswerCount);
        Assert.Equal(0, _upstream.Queries);
    }

    [Fact]
    public async Task A_dual_stack_name_has_its_ipv4_address_in_a_and_its_ipv6_address_in_aaaa()
    {
        var a = await DnsTestClient.AskUdpAsync(_listener.UdpEndPoint, DnsTestClient.Query("dual", DnsTestClient.A));
        Assert.Equal([Dual4], a.Addresses);
        var aaaa = await DnsTestClient.AskUdpAsync(_listener.UdpEndPoint, DnsTestClient.Query("dual", DnsTestClient.Aaaa));
        Assert.Equal(0, aaaa.Rcode);
        Assert.Equal([Dual6], aaaa.Addresses);
        var ptr = await DnsTestClient.AskUdpAsync(_listener.UdpEndPoint,
            DnsTestClient.Query("5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.5.4.3.2.1.d.f.ip6.arpa", DnsTestClient.Ptr));
        Assert.Equal(["dual.testnet"], ptr.Names);
        Assert.Equal(0, _upstream.Queries);
    }

    [Fact]
    public async Task Reverse_lookups_of_container_addresses_are_answered()
    {
        var reply = await DnsTestClient.AskUdpAsync(_listener.UdpEndPoint, DnsTestClient.Query("4.0.18.172.in-addr.arpa", DnsTestClient.Ptr));
        Assert.Equal(["db.testnet"], reply.Names);
    }

    [Fact]
    public async Task Other_names_go_to_the_host_resolvers_over_the_same_protocol()
    {
        var udp = await DnsTestClient.AskUdpAsync(_listener.UdpEndPoint, DnsTestClient.Query("example.org", DnsTestClient.A, id: 7));
        Assert.Equal(7, udp.Id);
        Assert.Equal([FakeUpstreamDns.Answer], udp.Addresses);
        var tcp = await DnsTestClient.AskTcpAsync(_listener.TcpEndPoint, DnsTestClient.Query("example.org", DnsTestClient.A, id: 8));
        Assert.Equal(8, tcp.Id);
        Assert.Equal([FakeUpstreamDns.Answer], tcp.Addresses);
        Assert.Equal(2, _upstream.Queries);
    }

    [Fact]
    public async Task Unreachable_resolvers_give_servfail()
    {
        var silent = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram,
            System.Net.Sockets.ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var server = new EmbeddedDns(new DnsForwarder([(IPEndPoint)silent.LocalEndPoint!], TimeSpan.FromMilliseconds(300)));
        await using var listener = server.Listen(new IPEndPoint(IPAddress.Loopback, 0), new FakeDnsRecords([]));
        var reply = await DnsTestClient.AskUdpAsync(listener.UdpEndPoint, DnsTestClient.Query("example.org", DnsTestClient.A));
        Assert.Equal(2, reply.Rcode);
        silent.Dispose();
    }

    [Fact]
    public async Task Many_answers_are_truncated_over_udp_but_complete_over_tcp()
    {
        var many = Enumerable.Range(2, 60).Select(i => IPAddress.Parse($"172.18.1.{i}")).ToArray();
        var server = new EmbeddedDns(new DnsForwarder([]));
        await using var listener = server.Listen(new IPEndPoint(IPAddress.Loopback, 0), new FakeDnsRecords(new() { ["svc"] = many }));
        var udp = await DnsTestClient.AskUdpAsync(listener.UdpEndPoint, DnsTestClient.Query("svc", DnsTestClient.A));
        Assert.True(udp.Truncated);
        Assert.InRange(udp.Addresses.Count, 20, 31);
        var edns = await DnsTestClient.AskUdpAsync(listener.UdpEndPoint, DnsTestClient.Query("svc", DnsTestClient.A, ednsSize: 4096));
        Assert.False(edns.Truncated);
        Assert.Equal(60, edns.Addresses.Count);
        var tcp = await DnsTestClient.AskTcpAsync(listener.TcpEndPoint, DnsTestClient.Query("svc", DnsTestClient.A));
        Assert.Equal(60, tcp.Addresses.Count);
    }

    [Fact]
    public async Task Garbage_is_dropped_and_the_server_keeps_answering()
    {
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram,
            System.Net.Sockets.ProtocolType.Udp))
        {
            await socket.SendToAsync(new byte[] { 1, 2, 3 }, _listener.UdpEndPoint);
            await socket.SendToAsync(new byte[40], _listener.UdpEndPoint);
        }
        var reply = await DnsTestClient.AskUdpAsync(_listener.UdpEndPoint, DnsTestClient.Query("db", DnsTestClient.A));
        Assert.Equal([Db], reply.Addresses);
    }

    [Fact]
    public void Resolv_conf_nameservers_become_upstreams()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# comment\nsearch example.org\nnameserver 10.255.255.53\nnameserver  127.0.0.53\nnameserver fe80::1%eth0\noptions ndots:2\n");
            var forwarder = DnsForwarder.FromResolvConf(path);
            Assert.Equal(["10.255.255.53:53", "127.0.0.53:53", "[fe80::1]:53"], forwarder.Upstreams.Select(e => e.ToString()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
