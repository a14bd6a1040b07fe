using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Compose;
using Berth.Compose.Execution;
using Berth.Compose.Model;

namespace Berth.Tests.Compose.Execution;

public sealed class CreateBodyBuilderTests
{
    private static readonly ServiceConfig Rich = new()
    {
        Name = "web",
        Image = "nginx:1.27",
        Command = ["nginx", "-g", "daemon off;"],
        Entrypoint = ["/entry.sh"],
        Environment = new Dictionary<string, string?> { ["A"] = "1", ["UNSET"] = null },
        Labels = new Dictionary<string, string> { ["team"] = "web" },
        Hostname = "h",
        User = "1000:1000",
        WorkingDir = "/app",
        Ports = [new ServicePort { Target = 80, Published = "8080", HostIp = "127.0.0.1" }, new ServicePort { Target = 53, Protocol = "udp" }],
        Expose = ["9000/tcp"],
        Volumes =
        [
            new ServiceVolume { Type = "bind", Source = "/src/proj/html", Target = "/usr/share/nginx/html", ReadOnly = true, CreateHostPath = true },
            new ServiceVolume { Type = "bind", Source = "/etc/ssl", Target = "/ssl", BindPropagation = "rslave" },
            new ServiceVolume { Type = "volume", Source = "data", Target = "/data", VolumeNoCopy = true },
            new ServiceVolume { Type = "volume", Target = "/cache" },
            new ServiceVolume { Type = "tmpfs", Target = "/run/t", TmpfsSize = 1024, TmpfsMode = 448 },
        ],
        Tmpfs = ["/tmp:size=64m"],
        Networks = new Dictionary<string, ServiceNetwork>
        {
            ["default"] = new() { Aliases = ["www"] },
            ["back"] = new() { Priority = 10, Ipv4Address = "10.5.0.9" },
        },
        DependsOn = new Dictionary<string, DependsOn> { ["db"] = new() { Condition = "service_healthy" } },
        Restart = "on-failure:3",
        HealthCheck = new HealthCheckConfig { Test = ["CMD-SHELL", "true"], Interval = TimeSpan.FromSeconds(2), Retries = 3 },
        StopSignal = "SIGQUIT",
        StopGracePeriod = TimeSpan.FromSeconds(20),
        Init = true,
        CapAdd = ["NET_ADMIN"],
        Devices = ["/dev/fuse", "/dev/sda:/dev/xvda:r"],
        Ulimits = new Dictionary<string, Ulimit> { ["nofile"] = new(1024, 2048) },
        MemLimit = 512 * 1024 * 1024,
        Cpus = 1.5,
        Sysctls = new Dictionary<string, string> { ["net.core.somaxconn"] = "1024" },
        Logging = new LoggingConfig { Driver = "json-file", Options = new Dictionary<string, string> { ["max-size"] = "1m" } },
        VolumesFrom = ["db:ro"],
        Links = ["db:database"],
        Secrets = [new ServiceFileReference { Source = "token", Target = "/run/secrets/token" }, new ServiceFileReference { Source = "inline", Target = "/run/secrets/inline" }],
    };

    private static ContainerCreatePlan Plan(ServiceConfig service)
    {
        var project = TestProjects.With(service, TestProjects.Service("db"));
        return CreateBodyBuilder.Build(new ContainerCreateRequest
        {
            Project = project,
            Service = service,
            Name = "proj-web-1",
            Labels = ComposeLabels.ForContainer(project, service, 1, false, "hash", "sha256:abc", "2.30.0"),
            Image = "nginx:1.27",
            ServiceContainers = new Dictionary<string, IReadOnlyList<ContainerRef>> { ["db"] = [new ContainerRef("dbid", "proj-db-1")] },
            InheritedVolumes = new Dictionary<string, string> { ["/cache"] = "oldanon" },
        });
    }

    private static string J(JsonNode? node) => Json.Serialize(node);

    [Fact]
    public void The_config_part_carries_the_service()
    {
        var body = Plan(Rich).Body;
        Assert.Equal("nginx:1.27", body.Str("Image"));
        Assert.Equal("""["nginx","-g","daemon off;"]""", J(body["Cmd"]));
        Assert.Equal("""["/entry.sh"]""", J(body["Entrypoint"]));
        Assert.Equal("""["A=1"]""", J(body["Env"]));
        Assert.Equal("h", body.Str("Hostname"));
        Assert.Equal("1000:1000", body.Str("User"));
        Assert.Equal("/app", body.Str("WorkingDir"));
        Assert.Equal("SIGQUIT", body.Str("StopSignal"));
        Assert.Equal(20, body.Long("StopTimeout"));
        Assert.Equal("""{"80/tcp":{},"53/udp":{},"9000/tcp":{}}""", J(body["ExposedPorts"]));
        Assert.Equal("""{"Test":["CMD-SHELL","true"],"Interval":2000000000,"Retries":3}""", J(body["Healthcheck"]));
        var labels = body.Obj("Labels")!;
        Assert.Equal("web", labels.Str("team"));
        Assert.Equal("proj", labels.Str("com.docker.compose.project"));
        Assert.Equal("1", labels.Str("com.docker.compose.container-number"));
        Assert.Equal("False", labels.Str("com.docker.compose.oneoff"));
        Assert.Equal("/src/proj/compose.yaml,/src/proj/compose.override.yaml", labels.Str("com.docker.compose.project.config_files"));
        Assert.Equal("db:service_healthy:false", labels.Str("com.docker.compose.depends_on"));
        Assert.Equal("sha256:abc", labels.Str("com.docker.compose.image"));
        Assert.Equal("2.30.0", labels.Str("com.docker.compose.version"));
    }

    [Fact]
    public void The_host_config_carries_mounts_ports_and_limits()
    {
        var host = Plan(Rich).Body.Obj("HostConfig")!;
        Assert.Equal("""["/src/proj/html:/usr/share/nginx/html:ro"]""", J(host["Binds"]));
        Assert.Equal(
            """[{"Type":"bind","Source":"/etc/ssl","Target":"/ssl","BindOptions":{"Propagation":"rslave"}},"""
            + """{"Type":"volume","Target":"/data","Source":"proj_data","VolumeOptions":{"NoCopy":true}},"""
            + """{"Type":"volume","Target":"/cache","Source":"oldanon"},"""
            + """{"Type":"tmpfs","Target":"/run/t","TmpfsOptions":{"SizeBytes":1024,"Mode":448}},"""
            + """{"Type":"bind","Source":"/src/proj/token.txt","Target":"/run/secrets/token","ReadOnly":true}]""",
            J(host["Mounts"]));
        Assert.Equal("""{"/tmp":"size=64m"}""", J(host["Tmpfs"]));
        Assert.Equal("""{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}],"53/udp":[{"HostIp":"","HostPort":""}]}""", J(host["PortBindings"]));
        Assert.Equal("""{"Name":"on-failure","MaximumRetryCount":3}""", J(host["RestartPolicy"]));
        Assert.True(host.Bool("Init"));
        Assert.Equal("""["NET_ADMIN"]""", J(host["CapAdd"]));
        Assert.Equal("""[{"PathOnHost":"/dev/fuse","PathInContainer":"/dev/fuse","CgroupPermissions":"rwm"},{"PathOnHost":"/dev/sda","PathInContainer":"/dev/xvda","CgroupPermissions":"r"}]""", J(host["Devices"]));
        Assert.Equal("""[{"Name":"nofile","Soft":1024,"Hard":2048}]""", J(host["Ulimits"]));
        Assert.Equal(512L * 1024 * 1024, host.Long("Memory"));
        Assert.Equal(1_500_000_000L, host.Long("NanoCpus"));
        Assert.Equal("""{"net.core.somaxconn":"1024"}""", J(host["Sysctls"]));
        Assert.Equal("""{"Type":"json-file","Config":{"max-size":"1m"}}""", J(host["LogConfig"]));
        Assert.Equal("""["proj-db-1:ro"]""", J(host["VolumesFrom"]));
        Assert.Equal("""["proj-db-1:database"]""", J(host["Links"]));
    }

    [Fact]
    public void The_network_of_highest_priority_is_given_at_create_and_the_others_later()
    {
        var plan = Plan(Rich);
        Assert.Equal("proj_back", plan.Body.Obj("HostConfig").Str("NetworkMode"));
        Assert.Equal("""{"EndpointsConfig":{"proj_back":{"Aliases":["proj-web-1","web"],"IPAMConfig":{"IPv4Address":"10.5.0.9"}}}}""",
            J(plan.Body["NetworkingConfig"]));
        var later = Assert.Single(plan.LaterNetworks);
        Assert.Equal("proj_default", later.Network);
        Assert.Equal("""{"Aliases":["proj-web-1","web","www"]}""", J(later.EndpointConfig));
    }

    [Fact]
    public void Inline_secrets_are_copied_in_after_create()
    {
        var injection = Assert.Single(Plan(Rich).Injections);
        Assert.Equal("/run/secrets/inline", injection.Target);
        Assert.Equal("hello"u8.ToArray(), injection.Content);
    }

    [Fact]
    public void A_service_without_networks_joins_the_default_network()
    {
        var plan = Plan(new ServiceConfig { Name = "web", Image = "busybox" });
        Assert.Equal("proj_default", plan.Body.Obj("HostConfig").Str("NetworkMode"));
        Assert.Empty(plan.LaterNetworks);
    }

    [Fact]
    public void Network_mode_service_points_at_the_first_container_of_that_service()
    {
        var plan = Plan(new ServiceConfig { Name = "web", Image = "busybox", NetworkMode = "service:db" });
        Assert.Equal("container:dbid", plan.Body.Obj("HostConfig").Str("NetworkMode"));
        Assert.Null(plan.Body["NetworkingConfig"]);
        var error = Assert.Throws<ComposeException>(() => Plan(new ServiceConfig { Name = "web", Image = "busybox", NetworkMode = "service:web" }));
        Assert.Contains("has no container", error.Message);
    }

    [Fact]
    public void Health_check_disable_sends_none()
    {
        var plan = Plan(new ServiceConfig { Name = "web", Image = "busybox", HealthCheck = new HealthCheckConfig { Disable = true } });
        Assert.Equal("""{"Test":["NONE"]}""", J(plan.Body["Healthcheck"]));
    }

    [Fact]
    public void Run_overrides_drop_ports_and_the_fixed_name_and_win_over_the_service()
    {
        var service = Rich with { ContainerName = "fixed" };
        var oneOff = ProjectRunner.WithRunOverrides(service, new RunOptions
        {
            Command = ["sh"],
            Environment = new Dictionary<string, string?> { ["A"] = "2", ["B"] = "3" },
            Publish = [new ServicePort { Target = 22, Published = "2222" }],
            AutoRemove = true,
            Tty = false,
        });
        Assert.Null(oneOff.ContainerName);
        Assert.Equal(["sh"], oneOff.Command!);
        Assert.Equal("2", oneOff.Environment["A"]);
        Assert.Equal("3", oneOff.Environment["B"]);
        Assert.Equal(22, Assert.Single(oneOff.Ports).Target);
        Assert.Null(oneOff.Restart);
        Assert.False(oneOff.Tty);
        Assert.True(oneOff.StdinOpen);
    }
}
