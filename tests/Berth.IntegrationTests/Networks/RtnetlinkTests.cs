using System.Net;
using System.Net.Sockets;
using Berth.Engine.Networks.Netlink;
using Berth.Oci.Errors;

namespace Berth.IntegrationTests.Networks;

/// <summary>The netlink client against the real kernel, inside a namespace of the test's own.</summary>
public sealed class RtnetlinkTests : IDisposable
{
    private readonly NetTestEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public void A_vxlan_device_joins_a_bridge_and_floods_to_the_peers_it_is_given()
    {
        string ns = _env.CreateNamespace("x");
        using var netlink = Rtnetlink.OpenInNamespace(ns);
        netlink.CreateBridge("br0");
        netlink.CreateVxlan("vx0", 4097, 4789, 1450, netlink.GetLink("br0").Index);
        var vxlan = netlink.GetLink("vx0");
        Assert.Equal("vxlan", vxlan.Kind);
        Assert.Equal(1450, vxlan.Mtu);
        Assert.Equal(netlink.GetLink("br0").Index, vxlan.MasterIndex);
        Assert.Empty(netlink.ListFloodPeers("vx0"));

        var first = IPAddress.Parse("192.0.2.1");
        var second = IPAddress.Parse("192.0.2.2");
        netlink.AppendFloodPeer("vx0", first);
        netlink.AppendFloodPeer("vx0", second);
        netlink.AppendFloodPeer("vx0", first); // already there: no error
        Assert.Equal([first, second], netlink.ListFloodPeers("vx0").OrderBy(a => a.ToString()));
        netlink.DeleteFloodPeer("vx0", first);
        netlink.DeleteFloodPeer("vx0", first); // gone already: no error
        Assert.Equal([second], netlink.ListFloodPeers("vx0"));
        Assert.True(netlink.TryDeleteLink("vx0"));
    }

    [Fact]
    public void Links_are_created_configured_renamed_and_deleted()
    {
        string ns = _env.CreateNamespace("a");
        using var netlink = Rtnetlink.OpenInNamespace(ns);
        Assert.Equal(["lo"], netlink.ListLinks().Select(l => l.Name));

        var mac = MacAddress.Parse("02:42:0a:d5:00:01");
        netlink.CreateBridge("br0", mac, mtu: 1400);
        netlink.SetAlias("br0", "berth:test");
        var bridge = netlink.GetLink("br0");
        Assert.Equal("bridge", bridge.Kind);
        Assert.Equal(mac, bridge.Mac);
        Assert.Equal(1400, bridge.Mtu);
        Assert.Equal("berth:test", bridge.Alias);
        Assert.False(bridge.IsUp);

        netlink.CreateVethPair(new VethPair("v0", "v0peer") { MasterIndex = bridge.Index, Up = true });
        var host = netlink.GetLink("v0");
        Assert.Equal("veth", host.Kind);
        Assert.Equal(bridge.Index, host.MasterIndex);
        Assert.True(host.IsUp);
        Assert.False(netlink.GetLink("v0peer").IsUp);

        netlink.SetMaster("v0", null);
        netlink.SetMtu("v0", 1300);
        netlink.SetDown("v0");
        netlink.Rename("v0peer", "renamed");
        netlink.SetMacAddress("renamed", MacAddress.Parse("02:42:0a:d5:00:09"));
        netlink.SetMaster("renamed", "br0");
        netlink.SetUp("renamed");
        host = netlink.GetLink("v0");
        Assert.Equal(0, host.MasterIndex);
        Assert.Equal(1300, host.Mtu);
        Assert.False(host.IsUp);
        Assert.Null(netlink.FindLink("v0peer"));
        var renamed = netlink.GetLink("renamed");
        Assert.Equal("02:42:0a:d5:00:09", renamed.Mac.ToString());
        Assert.Equal(bridge.Index, renamed.MasterIndex);
        Assert.True(renamed.IsUp);

        netlink.DeleteLink("v0");
        Assert.Null(netlink.FindLink("renamed"));
        Assert.False(netlink.TryDeleteLink("v0"));
        Assert.True(netlink.TryDeleteLink("br0"));
    }

    [Fact]
    public void Addresses_and_routes_are_added_listed_and_removed()
    {
        string ns = _env.CreateNamespace("b");
        using var netlink = Rtnetlink.OpenInNamespace(ns);
        netlink.CreateBridge("br0");
        netlink.SetUp("br0");
        netlink.SetUp("lo");
        netlink.AddAddress("br0", IPAddress.Parse("10.213.7.1"), 24);
        var addresses = netlink.ListAddresses(AddressFamily.InterNetwork);
        int index = netlink.GetLink("br0").Index;
        Assert.Contains(new AddressInfo(index, IPAddress.Parse("10.213.7.1"), 24), addresses);
        Assert.Contains(addresses, a => a.Address.Equals(IPAddress.Loopback));

        netlink.AddRoute(IPAddress.Parse("10.214.0.0"), 16, IPAddress.Parse("10.213.7.254"), "br0");
        netlink.AddDefaultRoute(IPAddress.Parse("10.213.7.1"), "br0");
        var routes = netlink.ListRoutes();
        Assert.Contains(routes, r => r.Destination.Equals(IPAddress.Parse("10.214.0.0")) && r.PrefixLength == 16
            && r.Gateway!.Equals(IPAddress.Parse("10.213.7.254")) && r.OutputInterfaceIndex == index && r.Table == RouteInfo.MainTable);
        Assert.Contains(routes, r => r.PrefixLength == 0 && r.Gateway!.Equals(IPAddress.Parse("10.213.7.1")));
        Assert.Contains(routes, r => r.Destination.Equals(IPAddress.Parse("10.213.7.0")) && r.PrefixLength == 24);

        Assert.True(netlink.TryDeleteAddress("br0", IPAddress.Parse("10.213.7.1"), 24));
        Assert.False(netlink.TryDeleteAddress("br0", IPAddress.Parse("10.213.7.1"), 24));
        Assert.DoesNotContain(netlink.ListRoutes(), r => r.PrefixLength == 0);
    }

    [Fact]
    public void Kernel_errors_name_the_request_the_object_and_the_errno()
    {
        string ns = _env.CreateNamespace("c");
        using var netlink = Rtnetlink.OpenInNamespace(ns);
        netlink.CreateBridge("berth0");
        var exists = Assert.Throws<BerthException>(() => netlink.CreateBridge("berth0"));
        Assert.Equal("netlink: RTM_NEWLINK berth0: File exists", exists.Message);
        Assert.Equal(ErrorKind.Conflict, exists.Kind);
        Assert.Equal(17, Rtnetlink.ErrnoOf(exists));

        var missing = Assert.Throws<BerthException>(() => netlink.SetUp("nosuchdev"));
        Assert.StartsWith("netlink: RTM_NEWLINK nosuchdev: No such device", missing.Message);
        Assert.Equal(ErrorKind.NotFound, missing.Kind);

        Assert.Equal(ErrorKind.NotFound, Assert.Throws<BerthException>(() => netlink.GetLink("nosuchdev")).Kind);
        Assert.Throws<BerthException>(() => netlink.CreateBridge("a-name-longer-than-15"));
    }

    [Fact]
    public void A_veth_peer_is_created_straight_inside_another_namespace_and_links_move_between_namespaces()
    {
        string nsA = _env.CreateNamespace("d");
        string nsB = _env.CreateNamespace("e");
        using var a = Rtnetlink.OpenInNamespace(nsA);
        using var b = Rtnetlink.OpenInNamespace(nsB);
        using (var handle = NetworkNamespace.OpenNamespaceFile(nsB))
        {
            a.CreateVethPair(new VethPair("outside", "eth0") { PeerNamespace = handle, PeerMac = MacAddress.Parse("02:42:ac:11:00:02"), Mtu = 1450 });
            Assert.Equal(ErrorKind.Invalid, Assert.Throws<BerthException>(() =>
                a.CreateVethPair(new VethPair("outside2", "eth1") { PeerNamespace = handle, PeerUp = true })).Kind);
        }
        b.SetUp("eth0");
        Assert.Null(a.FindLink("eth0"));
        var peer = b.GetLink("eth0");
        Assert.Equal("02:42:ac:11:00:02", peer.Mac.ToString());
        Assert.Equal(1450, peer.Mtu);
        Assert.True(peer.IsUp);

        using (var handle = NetworkNamespace.OpenNamespaceFile(nsA))
            b.MoveToNamespace("eth0", handle);
        Assert.Null(b.FindLink("eth0"));
        Assert.NotNull(a.FindLink("eth0"));
        a.DeleteLink("outside");
        Assert.Null(a.FindLink("eth0"));
    }

    [Fact]
    public async Task Setns_happens_only_on_the_helper_thread()
    {
        string ns = _env.CreateNamespace("f");
        string daemonNamespace = ReadLink("/proc/thread-self/ns/net");
        Assert.NotEqual(daemonNamespace, NetworkNamespace.Run(ns, () => ReadLink("/proc/thread-self/ns/net")));
        string devices = NetworkNamespace.Run(ns, () => File.ReadAllText("/proc/thread-self/net/dev"));
        Assert.Contains("lo:", devices);
        Assert.DoesNotContain("eth0", devices);
        // Neither the calling thread nor the thread pool moved.
        Assert.Equal(daemonNamespace, ReadLink("/proc/thread-self/ns/net"));
        Assert.Equal(daemonNamespace, await Task.Run(() => ReadLink("/proc/thread-self/ns/net")));
        using var host = Rtnetlink.Open();
        Assert.True(host.ListLinks().Count > 1);
    }

    [Fact]
    public void Namespaces_are_created_and_deleted_without_ip()
    {
        string path = $"/run/netns/bt{_env.Id}g";
        NetworkNamespace.Create(path);
        Assert.True(File.Exists(path));
        Assert.Contains(path, File.ReadAllText("/proc/self/mountinfo"));
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<BerthException>(() => NetworkNamespace.Create(path)).Kind);
        NetworkNamespace.Delete(path);
        Assert.False(File.Exists(path));
        Assert.DoesNotContain(path, File.ReadAllText("/proc/self/mountinfo"));
        NetworkNamespace.Delete(path);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<BerthException>(() => NetworkNamespace.Run(path, () => 0)).Kind);
    }

    [Fact]
    public async Task A_fresh_directory_for_namespaces_becomes_a_shared_tmpfs_and_one_holding_files_a_bind_of_itself()
    {
        string fresh = $"/run/bt{_env.Id}-fresh", used = $"/run/bt{_env.Id}-used";
        Directory.CreateDirectory(used);
        File.WriteAllText(Path.Combine(used, "kept"), "");
        try
        {
            NetworkNamespace.Create(Path.Combine(fresh, "a"));
            NetworkNamespace.Create(Path.Combine(used, "a"));
            var mounts = File.ReadAllLines("/proc/self/mountinfo");
            string MountOf(string directory) => mounts.Last(l => l.Split(' ')[4] == directory);
            Assert.Contains(" - tmpfs ", MountOf(fresh));
            Assert.Contains(" shared:", MountOf(fresh));
            Assert.DoesNotContain(" - tmpfs ", MountOf(used));
            Assert.Contains(" shared:", MountOf(used));
            Assert.True(File.Exists(Path.Combine(used, "kept")));
            NetworkNamespace.Delete(Path.Combine(fresh, "a"));
            NetworkNamespace.Delete(Path.Combine(used, "a"));
        }
        finally
        {
            foreach (string directory in new[] { fresh, used })
            {
                await Infrastructure.Commands.RunAsync("/bin/sh", ["-c", $"grep -o ' {directory}[^ ]*' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l; rm -rf '{directory}' '{directory}.lock'"]);
            }
        }
    }

    [Fact]
    public void Sysctls_are_read_and_written_per_namespace()
    {
        string ns = _env.CreateNamespace("h");
        using (var netlink = Rtnetlink.OpenInNamespace(ns)) netlink.CreateBridge("br0");
        NetworkNamespace.Run(ns, () => Sysctl.Write("net.ipv4.conf.br0.forwarding", "0"));
        Assert.Equal("0", NetworkNamespace.Run(ns, () => Sysctl.Read("net/ipv4/conf/br0/forwarding")));
        NetworkNamespace.Run(ns, () => Sysctl.Ensure("net.ipv4.conf.br0.forwarding", "1"));
        Assert.Equal("1", NetworkNamespace.Run(ns, () => Sysctl.Read("net.ipv4.conf.br0.forwarding")));
    }

    private static string ReadLink(string path) => new FileInfo(path).LinkTarget ?? "";
}
