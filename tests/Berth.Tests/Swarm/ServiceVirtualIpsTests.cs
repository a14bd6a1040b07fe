using System.Net;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Engine.Swarm;

namespace Berth.Tests.Swarm;

public sealed class ServiceVirtualIpsTests
{
    private static SwarmService Service(string id, string name, string mode, params EndpointVirtualIp[] vips) => new()
    {
        ID = id,
        Spec = (JsonObject)JsonNode.Parse($$$"""
            {"Name":"{{{name}}}","EndpointSpec":{"Mode":"{{{mode}}}"},
             "TaskTemplate":{"ContainerSpec":{"Image":"busybox"},"Networks":[{"Target":"n1","Aliases":["site","{{{name}}}"]},{"Target":"n2"}]}}
            """)!,
        Endpoint = new ServiceEndpoint { VirtualIPs = vips.Length == 0 ? null : [.. vips] },
    };

    private static SwarmTask Task(string service, string desired, string state, params (string Network, string Address)[] addresses) => new()
    {
        ID = Guid.NewGuid().ToString("N"),
        ServiceID = service,
        DesiredState = desired,
        Status = new SwarmTaskStatus { State = state },
        NetworksAttachments = [.. addresses.Select(a => new TaskNetworkAttachment { Network = new JsonObject { ["ID"] = a.Network }, Addresses = [a.Address] })],
    };

    [Fact]
    public void Only_dnsrr_turns_virtual_ips_off()
    {
        Assert.True(ServiceVirtualIps.IsVipMode(new JsonObject()));
        Assert.True(ServiceVirtualIps.IsVipMode((JsonObject)JsonNode.Parse("""{"EndpointSpec":{"Mode":"vip"}}""")!));
        Assert.False(ServiceVirtualIps.IsVipMode((JsonObject)JsonNode.Parse("""{"EndpointSpec":{"Mode":"dnsrr"}}""")!));
    }

    [Fact]
    public void A_virtual_ip_answers_the_service_name_and_aliases_and_leads_to_the_running_tasks_on_its_network()
    {
        var web = Service("s1", "web", "vip",
            new EndpointVirtualIp { NetworkID = "n1", Addr = "10.0.1.2/24" },
            new EndpointVirtualIp { NetworkID = "n2", Addr = "10.0.2.2/24" });
        var tasks = new[]
        {
            Task("s1", "running", "running", ("n1", "10.0.1.5/24"), ("n2", "10.0.2.5/24")),
            Task("s1", "running", "running", ("n1", "10.0.1.4/24"), ("n2", "10.0.2.4/24")),
            Task("s1", "shutdown", "running", ("n1", "10.0.1.6/24")), // being stopped: no new connections
            Task("s1", "running", "starting", ("n1", "10.0.1.7/24")),
            Task("other", "running", "running", ("n1", "10.0.1.8/24")),
        };
        var all = ServiceVirtualIps.Of([web], tasks);
        Assert.Equal(2, all.Count);
        var first = all[0];
        Assert.Equal("n1", first.NetworkId);
        Assert.Equal(["web", "site"], first.Names);
        Assert.Equal(IPAddress.Parse("10.0.1.2"), first.Address);
        Assert.Equal([IPAddress.Parse("10.0.1.4"), IPAddress.Parse("10.0.1.5")], first.Backends);
        Assert.Equal(["web"], all[1].Names);
        Assert.Equal([IPAddress.Parse("10.0.2.4"), IPAddress.Parse("10.0.2.5")], all[1].Backends);

        var onlySecond = ServiceVirtualIps.Of([web], tasks, new HashSet<string> { "n2" });
        Assert.Equal("n2", Assert.Single(onlySecond).NetworkId);
        Assert.Equal([("n1", IPAddress.Parse("10.0.1.2")), ("n2", IPAddress.Parse("10.0.2.2"))], ServiceVirtualIps.HeldBy([web]));
    }

    [Fact]
    public void A_dnsrr_service_has_none()
    {
        Assert.Empty(ServiceVirtualIps.Of([Service("s2", "db", "dnsrr")], [Task("s2", "running", "running", ("n1", "10.0.1.3/24"))]));
        Assert.Null(ServiceVirtualIps.Plan(null, Service("s2", "db", "vip").Spec, null));
    }
}
