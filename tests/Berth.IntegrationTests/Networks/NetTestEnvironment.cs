using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Netlink;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>
/// Devices and namespaces of one test, all named with a test-unique prefix and all removed on dispose. Namespaces
/// live in /run/netns so `ip netns exec` finds them; the product code never runs `ip`, only these tests do.
/// </summary>
public sealed class NetTestEnvironment : IDisposable
{
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
