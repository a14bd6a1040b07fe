using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Engine.Swarm;
using Berth.Oci.Errors;

namespace Berth.Tests.Swarm;

public sealed class SchedulerTests
{
    private static SwarmNode Node(string id, string role = "worker", string state = "ready", string availability = "active",
        string hostname = "host", string labels = "{}", string addr = "10.1.2.3", string created = "2026-01-01T00:00:00Z") => new()
    {
        ID = id,
        CreatedAt = created,
        Spec = new JsonObject { ["Role"] = role, ["Availability"] = availability, ["Labels"] = JsonNode.Parse(labels) },
        Description = new NodeDescription { Hostname = hostname, Platform = new NodePlatform { OS = "linux", Architecture = "x86_64" } },
        Status = new NodeStatus { State = state, Addr = addr },
    };

    private static SwarmTask Running(string service, string node) => new()
    {
        ID = Guid.NewGuid().ToString("N"), ServiceID = service, NodeID = node, DesiredState = "running",
        Status = new SwarmTaskStatus { State = "running" },
    };

    private static JsonObject Template(params string[] constraints) => new()
    {
        ["ContainerSpec"] = new JsonObject { ["Image"] = "busybox" },
        ["Placement"] = new JsonObject { ["Constraints"] = new JsonArray([.. constraints.Select(c => (JsonNode?)c)]) },
    };

    [Theory]
    [InlineData("node.role==manager", "m", true)]
    [InlineData("node.role!=manager", "m", false)]
    [InlineData("node.hostname==ALPHA", "m", true)]
    [InlineData("node.labels.disk==ssd", "m", true)]
    [InlineData("node.labels.disk!=ssd", "w", true)]
    [InlineData("node.labels.zone==east", "m", false)]
    [InlineData("node.platform.os==linux", "w", true)]
    [InlineData("node.platform.arch!=x86_64", "w", false)]
    [InlineData("node.ip==10.1.0.0/16", "m", true)]
    [InlineData("node.ip==10.9.0.0/16", "m", false)]
    [InlineData("node.id==m", "m", true)]
    [InlineData("node.unknown==x", "m", false)]
    public void Constraints_match_nodes_as_swarm_reads_them(string expression, string nodeId, bool matches)
    {
        var manager = Node("m", role: "manager", hostname: "alpha", labels: """{"disk":"ssd"}""");
        var worker = Node("w", hostname: "beta");
        var node = nodeId == "m" ? manager : worker;
        Assert.Equal(matches, PlacementConstraint.Parse(expression).Matches(node));
    }

    [Theory]
    [InlineData("node.role=manager", "constraint expected one operator from ==, !=")]
    [InlineData("node role==manager", "key 'node role' is invalid")]
    [InlineData("node.role==a>b", "value 'a>b' is invalid")]
    public void Malformed_constraints_are_refused_with_swarms_words(string expression, string message)
    {
        var error = Assert.Throws<BerthException>(() => PlacementConstraint.Parse(expression));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal("rpc error: code = InvalidArgument desc = " + message, error.Message);
    }

    [Fact]
    public void New_tasks_spread_over_the_nodes_with_fewest_of_their_service()
    {
        SwarmNode[] nodes = [Node("a", created: "2026-01-01T00:00:00Z"), Node("b", created: "2026-01-02T00:00:00Z")];
        var tasks = new List<SwarmTask>();
        for (int i = 0; i < 4; i++)
        {
            var (node, why) = Scheduler.Pick(Template(), "s", nodes, tasks);
            Assert.Null(why);
            tasks.Add(Running("s", node!.ID));
        }
        Assert.Equal(2, tasks.Count(t => t.NodeID == "a"));
        Assert.Equal(2, tasks.Count(t => t.NodeID == "b"));
        // Another service's tasks tip the balance only between equals.
        tasks.Add(Running("other", "a"));
        Assert.Equal("b", Scheduler.Pick(Template(), "t", nodes, tasks).Node!.ID);
    }

    [Fact]
    public void No_suitable_node_is_explained_as_swarm_explains_it()
    {
        SwarmNode[] nodes = [Node("a", state: "down"), Node("b", availability: "drain"), Node("c", role: "manager")];
        var (node, why) = Scheduler.Pick(Template("node.role==worker"), "s", nodes, []);
        Assert.Null(node);
        Assert.Equal("no suitable node (2 nodes not available for new tasks; scheduling constraints not satisfied on 1 node)", why);

        var full = Template();
        full["Placement"]!["MaxReplicas"] = 1L;
        var (none, reason) = Scheduler.Pick(full, "s", [Node("c")], [Running("s", "c")]);
        Assert.Null(none);
        Assert.Equal("no suitable node (max replicas per node limit exceed)", reason);
    }

    [Fact]
    public void Paused_nodes_keep_their_tasks_and_drained_or_down_ones_lose_them()
    {
        Assert.True(Scheduler.KeepsTasks(Node("p", availability: "pause")));
        Assert.False(Scheduler.TakesNewTasks(Node("p", availability: "pause")));
        Assert.False(Scheduler.KeepsTasks(Node("d", availability: "drain")));
        Assert.False(Scheduler.KeepsTasks(Node("x", state: "down")));
        Assert.False(Scheduler.KeepsTasks(null));
        var global = Scheduler.GlobalNodes(Template("node.role==worker"),
            [Node("w1"), Node("w2", availability: "pause"), Node("w3", state: "down"), Node("m", role: "manager")]);
        Assert.Equal(["w1", "w2"], global.Select(n => n.ID));
    }

    [Fact]
    public void A_task_on_overlay_networks_goes_only_to_nodes_they_reach()
    {
        SwarmNode[] nodes = [Node("m", role: "manager"), Node("w")];
        Assert.Equal("m", Scheduler.Pick(Template(), "s", nodes, [Running("s", "m")], reachable: n => n.ID == "m").Node!.ID);
        var (node, why) = Scheduler.Pick(Template("node.role==worker"), "s", nodes, [], reachable: n => n.ID == "m");
        Assert.Null(node);
        Assert.Equal("no suitable node (the service's overlay networks do not reach 1 node; scheduling constraints not satisfied on 1 node)", why);
        Assert.Equal(["m"], Scheduler.GlobalNodes(Template(), nodes, reachable: n => n.ID == "m").Select(n => n.ID));
    }

    [Fact]
    public void Reservations_must_fit_in_what_a_node_has_left()
    {
        var small = Node("small");
        small.Description.Resources = new NodeResources { NanoCPUs = 2_000_000_000, MemoryBytes = 1L << 30 };
        JsonObject Reserving(long cpus, long memory)
        {
            var spec = Template();
            spec["Resources"] = new JsonObject { ["Reservations"] = new JsonObject { ["NanoCPUs"] = cpus, ["MemoryBytes"] = memory } };
            return spec;
        }
        var held = Running("s", "small");
        held.Spec = Reserving(1_500_000_000, 0);
        Assert.Equal("small", Scheduler.Pick(Reserving(500_000_000, 1L << 29), "s", [small], [held]).Node!.ID);
        var (node, why) = Scheduler.Pick(Reserving(600_000_000, 0), "s", [small], [held]);
        Assert.Null(node);
        Assert.Equal("no suitable node (insufficient resources on 1 node)", why);
        Assert.Null(Scheduler.Pick(Reserving(0, 2L << 30), "s", [small], []).Node);
    }

    [Fact]
    public void A_spread_preference_balances_the_groups_of_a_label_before_the_nodes()
    {
        SwarmNode[] nodes =
        [
            Node("a", labels: """{"zone":"east"}""", created: "2026-01-01T00:00:00Z"),
            Node("b", labels: """{"zone":"east"}""", created: "2026-01-02T00:00:00Z"),
            Node("c", labels: """{"zone":"west"}""", created: "2026-01-03T00:00:00Z"),
        ];
        var spec = Template();
        spec["Placement"]!["Preferences"] = JsonNode.Parse("""[{"Spread":{"SpreadDescriptor":"node.labels.zone"}}]""");
        var tasks = new List<SwarmTask>();
        for (int i = 0; i < 4; i++) tasks.Add(Running("s", Scheduler.Pick(spec, "s", nodes, tasks).Node!.ID));
        Assert.Equal(["a", "c", "b", "c"], tasks.Select(t => t.NodeID));
    }
}
