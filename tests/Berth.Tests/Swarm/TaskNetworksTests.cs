using System.Text.Json.Nodes;
using Berth.Engine.Swarm;
using Berth.Oci.Errors;

namespace Berth.Tests.Swarm;

public sealed class TaskNetworksTests
{
    [Fact]
    public void A_tasks_networks_are_its_templates_else_the_services_deprecated_list()
    {
        var spec = (JsonObject)JsonNode.Parse("""{"Networks":[{"Target":"old"}],"TaskTemplate":{"Networks":[{"Target":"n1","Aliases":["a","b"]},{"Target":"n2"}]}}""")!;
        var own = TaskNetworks.Of(spec, (JsonObject)spec["TaskTemplate"]!);
        Assert.Equal(["n1", "n2"], own.Select(n => n.Target));
        Assert.Equal(["a", "b"], own[0].Aliases);
        Assert.Empty(own[1].Aliases);
        var deprecated = TaskNetworks.Of(spec, new JsonObject());
        Assert.Equal(["old"], deprecated.Select(n => n.Target));
        Assert.Empty(TaskNetworks.Of(new JsonObject(), new JsonObject()));
    }

    [Fact]
    public void Without_networks_to_look_in_a_named_network_is_not_found()
    {
        var spec = (JsonObject)JsonNode.Parse("""{"TaskTemplate":{"Networks":[{"Target":"nosuch"}]}}""")!;
        var error = Assert.Throws<BerthException>(() => TaskNetworks.Resolve(spec, null));
        Assert.Equal("network nosuch not found", error.Message);
        TaskNetworks.Resolve(new JsonObject { ["TaskTemplate"] = new JsonObject() }, null);
    }
}
