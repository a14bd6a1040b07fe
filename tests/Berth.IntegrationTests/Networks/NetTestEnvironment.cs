using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>
/// Devices and namespaces of one test, all named with a test-unique prefix and all removed on dispose. Namespaces
/// live in /run/netns so `ip netns exec` finds them; the product code never runs `ip`, only these tests do.
/// </summary>
public sealed class NetTestEnvironment : IDisposable
{
    // An unusual pool so parallel tests and other engines stay clear; the planner still avoids host routes.
    private static readonly SubnetPlanner Planner = new([AddressPool.Create("10.213.0.0/16", 24)]);
    private static readonly Lock PlanGate = new();
    private readonly List<string> _namespaces = [];
    private readonly List<string> _links = [];

    public NetTestEnvironment()
    {
        Id = Guid.NewGuid().ToString("N")[..8];
        Names = new DeviceNames("berth-nettest-" + Id);
        Host = Rtnetlink.Open();
    }

    /// <summary>Eight hex characters unique to this test.</summary>
    public string Id { get; }
    public DeviceNames Names { get; }
    public Rtnetlink Host { get; }

    /// <summary>A device name for this test: "bt" + id + suffix (at most 15 characters).</summary>
    public string LinkName(string suffix)
    {
        string name = "bt" + Id + suffix;
        _links.Add(name);
        return name;
    }

    /// <summary>A fresh namespace at /run/netns/bt{id}{suffix}; returns its path.</summary>
    public string CreateNamespace(string suffix)
    {
        string path = $"/run/netns/bt{Id}{suffix}";
        NetworkNamespace.Create(path);
        _namespaces.Add(path);
        return path;
    }

    /// <summary>A bridge network with a fresh subnet, its bridge made by <paramref name="driver"/>.</summary>
    public BridgeNetwork CreateNetwork(BridgeDriver driver, string name, bool @internal = false)
    {
        string id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        // Planning and creating under one lock: two tests must not pick the same free subnet.
        lock (PlanGate)
        {
            var addressing = Planner.Plan(new IpamRequest(), [], HostSubnets.Read(Host));
            var network = new BridgeNetwork(id, name, Names.BridgeFor(id), addressing) { Internal = @internal };
            driver.EnsureBridge(network);
            return network;
        }
    }

    public static string NewEndpointId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00000000";

    /// <summary>Runs busybox inside a namespace (test-only use of `ip netns exec`).</summary>
    public static Task<CommandResult> BusyboxInAsync(string netnsPath, params string[] args) =>
        Commands.RunAsync("ip", ["netns", "exec", Path.GetFileName(netnsPath), "busybox", .. args], timeout: TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        foreach (var link in Host.ListLinks().Where(l => Names.IsOwned(l) || _links.Contains(l.Name)))
            Host.TryDeleteLink(link.Name);
        foreach (var path in _namespaces) NetworkNamespace.Delete(path);
        Host.Dispose();
    }
}
