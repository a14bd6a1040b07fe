using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.Cli.Swarm;
using Berth.Client;

namespace Berth.Tests.Cli.Swarm;

/// <summary>service create and update flags must give the ServiceSpec bytes the docker CLI 28 sent (captured from it against dockerd 20.10).</summary>
public sealed class ServiceSpecBuilderTests
{
    private static ParsedFlags Parse(IReadOnlyList<FlagSpec> flags, params string[] args) => new FlagSet(flags, interspersed: false).Parse(args);

    private static JsonObject Create(params string[] args) => ServiceSpecBuilder.Build(Parse(ServiceFlags.Create, args), _ => null);

    [Fact]
    public void Minimal_create_matches_docker()
    {
        var spec = Create("--name", "cli-a", "--replicas", "2", "busybox:latest", "sleep", "3600");
        Assert.Equal(
            """{"Name":"cli-a","Labels":{},"TaskTemplate":{"ContainerSpec":{"Image":"busybox:latest","Args":["sleep","3600"],"Init":false,"DNSConfig":{}},"Resources":{"Limits":{},"Reservations":{}},"Placement":{},"ForceUpdate":0},"Mode":{"Replicated":{"Replicas":2}},"EndpointSpec":{"Mode":"vip"}}""",
            Json.Serialize(spec));
    }

    [Fact]
    public void Untagged_image_gets_latest_and_replicas_default_is_left_to_the_daemon()
    {
        var spec = Create("busybox");
        Assert.Equal("busybox:latest", spec["TaskTemplate"]!["ContainerSpec"]!["Image"]!.GetValue<string>());
        Assert.Equal("{}", Json.Serialize(spec["Mode"]!["Replicated"]));
        Assert.False(spec.ContainsKey("Name"));
    }

    [Fact]
    public void Full_create_matches_docker()
    {
        var secrets = new JsonArray((JsonNode)new JsonObject
        {
            ["File"] = new JsonObject { ["Name"] = "cli-s1", ["UID"] = "0", ["GID"] = "0", ["Mode"] = 292 },
            ["SecretID"] = "y59t7398r8enqdmijbl1gypu6",
            ["SecretName"] = "cli-s1",
        });
        var flags = Parse(ServiceFlags.Create,
            "-d", "--name", "cli-b", "--mode", "global", "-p", "8081:80", "-p", "published=8082,target=81,protocol=udp,mode=host", "-e", "A=1",
            "-l", "lab=1", "--container-label", "cl=2", "--mount", "type=volume,source=v1,target=/data", "--secret", "cli-s1",
            "--constraint", "node.role==manager", "--restart-condition", "on-failure", "--restart-delay", "3s", "--restart-max-attempts", "4",
            "--restart-window", "10s", "--update-parallelism", "2", "--update-delay", "5s", "--update-order", "start-first",
            "--update-failure-action", "rollback", "--limit-cpu", "0.5", "--limit-memory", "64m", "--reserve-cpu", "0.1", "--reserve-memory", "32m",
            "-w", "/tmp", "-u", "root", "--hostname", "hh", "--entrypoint", "sh -c", "--stop-signal", "SIGTERM", "--stop-grace-period", "7s",
            "--health-cmd", "true", "--health-interval", "2s", "--health-timeout", "1s", "--health-retries", "2", "--health-start-period", "1s",
            "--init", "--read-only", "-t", "--dns", "1.1.1.1", "--dns-search", "ex.com", "--dns-option", "ndots:2", "--host", "h1:10.0.0.1",
            "busybox:latest", "sleep", "3600");
        var spec = ServiceSpecBuilder.Build(flags, _ => null, secrets);
        Assert.Equal(
            """{"Name":"cli-b","Labels":{"lab":"1"},"TaskTemplate":{"ContainerSpec":{"Image":"busybox:latest","Labels":{"cl":"2"},"Command":["sh","-c"],"Args":["sleep","3600"],"Hostname":"hh","Env":["A=1"],"Dir":"/tmp","User":"root","Init":true,"StopSignal":"SIGTERM","TTY":true,"ReadOnly":true,"Mounts":[{"Type":"volume","Source":"v1","Target":"/data"}],"StopGracePeriod":7000000000,"Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":2000000000,"Timeout":1000000000,"StartPeriod":1000000000,"Retries":2},"Hosts":["10.0.0.1 h1"],"DNSConfig":{"Nameservers":["1.1.1.1"],"Search":["ex.com"],"Options":["ndots:2"]},"Secrets":[{"File":{"Name":"cli-s1","UID":"0","GID":"0","Mode":292},"SecretID":"y59t7398r8enqdmijbl1gypu6","SecretName":"cli-s1"}]},"Resources":{"Limits":{"NanoCPUs":500000000,"MemoryBytes":67108864},"Reservations":{"NanoCPUs":100000000,"MemoryBytes":33554432}},"RestartPolicy":{"Condition":"on-failure","Delay":3000000000,"MaxAttempts":4,"Window":10000000000},"Placement":{"Constraints":["node.role==manager"]},"ForceUpdate":0},"Mode":{"Global":{}},"UpdateConfig":{"Parallelism":2,"Delay":5000000000,"FailureAction":"rollback","Monitor":5000000000,"MaxFailureRatio":0,"Order":"start-first"},"EndpointSpec":{"Mode":"vip","Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8081,"PublishMode":"ingress"},{"Protocol":"udp","TargetPort":81,"PublishedPort":8082,"PublishMode":"host"}]}}""",
            Json.Serialize(spec));
    }

    [Fact]
    public void Replicas_with_global_mode_is_refused()
    {
        var error = Assert.Throws<Berth.Cli.CliException>(() => Create("--mode", "global", "--replicas", "2", "busybox"));
        Assert.Equal("replicas can only be used with replicated or replicated-job mode", error.Message);
    }

    [Theory]
    [InlineData(new[] { "--mode", "global-job", "--replicas", "2", "--max-concurrent", "2" }, "max-concurrent can only be used with replicated-job mode")]
    [InlineData(new[] { "--mode", "replicated", "--max-concurrent", "2" }, "max-concurrent can only be used with replicated-job mode")]
    [InlineData(new[] { "--mode", "global-job", "--replicas", "2" }, "replicas can only be used with replicated or replicated-job mode")]
    [InlineData(new[] { "--mode", "replicated-job", "--update-parallelism", "2" }, "update and rollback configuration is not supported for jobs")]
    [InlineData(new[] { "--mode", "global-job", "--rollback-delay", "2s" }, "update and rollback configuration is not supported for jobs")]
    public void Job_flags_are_checked_as_docker_checks_them(string[] args, string message)
    {
        var error = Assert.Throws<Berth.Cli.CliException>(() => Create([.. args, "busybox"]));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(new[] { "--mode", "replicated-job", "--replicas", "3", "--max-concurrent", "2" }, """{"ReplicatedJob":{"MaxConcurrent":2,"TotalCompletions":3}}""")]
    [InlineData(new[] { "--mode", "replicated-job", "--replicas", "3" }, """{"ReplicatedJob":{"MaxConcurrent":3,"TotalCompletions":3}}""")]
    [InlineData(new[] { "--mode", "replicated-job" }, """{"ReplicatedJob":{}}""")]
    [InlineData(new[] { "--mode", "global-job" }, """{"GlobalJob":{}}""")]
    public void Job_modes_are_sent_as_docker_sends_them(string[] args, string mode)
    {
        var spec = Create([.. args, "busybox"]);
        Assert.Equal(mode, spec["Mode"]!.ToJsonString());
    }

    [Fact]
    public void Update_matches_docker()
    {
        // The spec as dockerd 20.10 returned it for `service create --name cli-a --replicas 2 busybox:latest sleep 3600`.
        var spec = JsonNode.Parse(
            """{"Name":"cli-a","Labels":{},"TaskTemplate":{"ContainerSpec":{"Image":"busybox:latest","Args":["sleep","3600"],"Init":false,"DNSConfig":{},"Isolation":"default"},"Resources":{"Limits":{},"Reservations":{}},"Placement":{},"ForceUpdate":0,"Runtime":"container"},"Mode":{"Replicated":{"Replicas":2}},"EndpointSpec":{"Mode":"vip"}}""")!.AsObject();
        var flags = Parse(ServiceFlags.Update, "-d", "--env-add", "X=1", "--label-add", "q=2", "--publish-add", "9090:90", "--replicas", "1",
            "--limit-memory", "20m", "--restart-condition", "any", "cli-a");
        ServiceSpecUpdater.Apply(spec, flags, _ => null);
        Assert.Equal(
            """{"Name":"cli-a","Labels":{"q":"2"},"TaskTemplate":{"ContainerSpec":{"Image":"busybox:latest","Args":["sleep","3600"],"Env":["X=1"],"Init":false,"DNSConfig":{},"Isolation":"default"},"Resources":{"Limits":{"MemoryBytes":20971520},"Reservations":{}},"RestartPolicy":{"Condition":"any","Delay":5000000000,"MaxAttempts":0},"Placement":{},"ForceUpdate":0,"Runtime":"container"},"Mode":{"Replicated":{"Replicas":1}},"EndpointSpec":{"Mode":"vip","Ports":[{"Protocol":"tcp","TargetPort":90,"PublishedPort":9090,"PublishMode":"ingress"}]}}""",
            Json.Serialize(spec));
    }

    [Fact]
    public void Update_removes_by_key_and_target_and_force_bumps_the_counter()
    {
        var spec = Create("-e", "A=1", "-e", "B=2", "-l", "x=1", "-p", "8080:80", "-p", "8081:81", "busybox");
        var flags = Parse(ServiceFlags.Update, "--env-rm", "A", "--env-add", "B=3", "--label-rm", "x", "--publish-rm", "80", "--force",
            "--args", "sh -c 'echo hi'", "web");
        ServiceSpecUpdater.Apply(spec, flags, _ => null);
        var container = spec["TaskTemplate"]!["ContainerSpec"]!;
        Assert.Equal("""["B=3"]""", Json.Serialize(container["Env"]));
        Assert.Equal("""["sh","-c","echo hi"]""", Json.Serialize(container["Args"]));
        Assert.Equal("{}", Json.Serialize(spec["Labels"]));
        Assert.Equal("""[{"Protocol":"tcp","TargetPort":81,"PublishedPort":8081,"PublishMode":"ingress"}]""", Json.Serialize(spec["EndpointSpec"]!["Ports"]));
        Assert.Equal(1, spec["TaskTemplate"]!["ForceUpdate"]!.GetValue<long>());
    }
}
