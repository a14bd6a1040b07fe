using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Cli.Formatting;
using Berth.Cli.Swarm;

namespace Berth.Tests.Cli.Swarm;

/// <summary>The service ls, service ps and node ls tables, against what the docker CLI 28 printed for the same objects.</summary>
public sealed class SwarmTablesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-29T12:45:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static SwarmTask Task(string id, int slot, string desired, string state, string at, string created, string? error = null) => new()
    {
        ID = id,
        ServiceID = "svc",
        Slot = slot,
        NodeID = "node1",
        DesiredState = desired,
        CreatedAt = created,
        Spec = new JsonObject { ["ContainerSpec"] = new JsonObject { ["Image"] = "busybox:latest@sha256:abc" } },
        Status = new SwarmTaskStatus { State = state, Timestamp = at, Err = error },
    };

    [Fact]
    public void Service_ps_indents_history_under_the_newest_task()
    {
        var tasks = new[]
        {
            Task("e0bgm6xkeguq99dx9r634mokb", 1, "shutdown", "shutdown", "2026-11-29T12:44:23Z", "2026-11-29T12:43:26Z"),
            Task("nx08o6yxro6446lgjajs4vmvn", 2, "running", "running", "2026-11-29T12:44:15Z", "2026-11-29T12:43:26Z"),
            Task("qisvhdkcirivqa9epilqvrxvu", 1, "running", "running", "2026-11-29T12:44:26Z", "2026-11-29T12:44:20Z",
                "task: non-zero exit (1) and a long tail of text"),
        };
        var rows = TaskRows.Rows(tasks, _ => "cli-a", _ => "vm", truncate: true, table: true, Now);
        var text = new ListFormatter(null, TaskRows.DefaultTable, false).Render(TaskRows.Header(), rows);
        Assert.Equal(
            "ID             NAME          IMAGE            NODE      DESIRED STATE   CURRENT STATE             ERROR                              PORTS\n" +
            "qisvhdkciriv   cli-a.1       busybox:latest   vm        Running         Running 34 seconds ago    \"task: non-zero exit (1) and a…\"   \n" +
            "e0bgm6xkeguq    \\_ cli-a.1   busybox:latest   vm        Shutdown        Shutdown 37 seconds ago                                      \n" +
            "nx08o6yxro64   cli-a.2       busybox:latest   vm        Running         Running 45 seconds ago                                       \n",
            text);
    }

    [Fact]
    public void Service_ls_shows_replicas_mode_and_ports()
    {
        var service = new SwarmService
        {
            ID = "idjpujrijfr9xyzxyzxyzxyzx",
            Spec = JsonNode.Parse("""{"Name":"web","Mode":{"Replicated":{"Replicas":2}},"TaskTemplate":{"ContainerSpec":{"Image":"busybox:latest@sha256:abc"}}}""")!.AsObject(),
            Endpoint = new ServiceEndpoint { Ports = [new EndpointPortConfig { TargetPort = 80, PublishedPort = 8080 }] },
            ServiceStatus = new ServiceStatus { RunningTasks = 2, DesiredTasks = 2 },
        };
        var global = new SwarmService
        {
            ID = "uummza1q0q5pfchya5eogaydd",
            Spec = JsonNode.Parse("""{"Name":"cli-b","Mode":{"Global":{}},"TaskTemplate":{"ContainerSpec":{"Image":"busybox:latest"}}}""")!.AsObject(),
        };
        var rows = new[] { global, service }.OrderBy(s => s.Spec["Name"]!.GetValue<string>(), NaturalOrder.Instance).Select(ServiceRows.Row);
        var text = new ListFormatter(null, ServiceRows.DefaultTable, false).Render(ServiceRows.Header(), rows);
        Assert.Equal(
            "ID             NAME      MODE         REPLICAS   IMAGE            PORTS\n" +
            "uummza1q0q5p   cli-b     global       0/0        busybox:latest   \n" +
            "idjpujrijfr9   web       replicated   2/2        busybox:latest   *:8080->80/tcp\n",
            text);
    }

    [Fact]
    public void Node_ls_marks_the_current_node()
    {
        SwarmNode Node(string id, string host, bool leader) => new()
        {
            ID = id,
            Spec = new JsonObject { ["Role"] = "manager", ["Availability"] = "active" },
            Description = new NodeDescription { Hostname = host, Engine = new EngineDescription { EngineVersion = "20.10.24+dfsg1" } },
            Status = new NodeStatus { State = "ready" },
            ManagerStatus = new ManagerStatus { Leader = leader, Reachability = "reachable" },
        };
        var rows = new[] { Node("z4s35fmwinneq1g7auy8z3boe", "vm", true), Node("a1s35fmwinneq1g7auy8z3boe", "vm2", false) }
            .Select(n => NodeRows.Row(n, "z4s35fmwinneq1g7auy8z3boe", ""));
        var text = new ListFormatter(null, NodeRows.DefaultTable, false).Render(NodeRows.Header(), rows);
        Assert.Equal(
            "ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n" +
            "z4s35fmwinneq1g7auy8z3boe *   vm         Ready     Active         Leader           20.10.24+dfsg1\n" +
            "a1s35fmwinneq1g7auy8z3boe     vm2        Ready     Active         Reachable        20.10.24+dfsg1\n",
            text);
    }

    [Fact]
    public void Natural_order_compares_numbers_as_numbers()
        => Assert.Equal(["web", "web2", "web10"], new[] { "web10", "web2", "web" }.Order(NaturalOrder.Instance).ToArray());

    [Fact]
    public void Log_details_are_url_decoded()
    {
        var details = TaskLogWriter.ParseDetails("com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1,a=b%2Cc");
        Assert.Equal("b,c", details["a"]);
        Assert.Equal("t1", details["com.docker.swarm.task.id"]);
    }
}
