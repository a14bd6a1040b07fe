using System.Text.Json.Nodes;
using Berth.Cli.Stack;
using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Tests.Cli.Stack;

public sealed class StackSpecsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-stack-unit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ComposeProject Load(string yaml)
    {
        File.WriteAllText(Path.Combine(_directory, "compose.yml"), yaml);
        return ProjectLoader.Load(new ProjectOptions
        {
            ConfigFiles = [Path.Combine(_directory, "compose.yml")],
            ProjectName = "st",
            Environment = _ => null,
            CurrentDirectory = _directory,
        });
    }

    [Fact]
    public void A_service_becomes_dockers_service_spec()
    {
        var project = Load("""
            services:
              web:
                image: busybox
                entrypoint: ["sh", "-c"]
                command: ["httpd -f"]
                environment: {B: "2", A: "1"}
                labels: {c: d}
                ports: ["8080:80", "9000-9001:90-91/udp"]
                networks:
                  front: {aliases: [site]}
                healthcheck: {test: ["CMD", "true"], interval: 5s, retries: 2}
                deploy:
                  replicas: 3
                  labels: {x: y}
                  endpoint_mode: dnsrr
                  resources: {limits: {cpus: "0.5", memory: 64M}, reservations: {memory: 16M}}
                  restart_policy: {condition: on-failure, delay: 2s, max_attempts: 3}
                  update_config: {parallelism: 2, delay: 1s, order: start-first}
            networks:
              front: {}
            """);
        var spec = StackSpecs.ServiceSpec("st", project, project.Services["web"], StackObjectIds.None);
        Assert.Equal("st_web", spec["Name"]!.GetValue<string>());
        Assert.Equal("""{"x":"y","com.docker.stack.namespace":"st","com.docker.stack.image":"busybox"}""", spec["Labels"]!.ToJsonString());
        var container = spec["TaskTemplate"]!["ContainerSpec"]!;
        Assert.Equal("""{"c":"d","com.docker.stack.namespace":"st"}""", container["Labels"]!.ToJsonString());
        Assert.Equal("""["sh","-c"]""", container["Command"]!.ToJsonString());
        Assert.Equal("""["httpd -f"]""", container["Args"]!.ToJsonString());
        Assert.Equal("""["A=1","B=2"]""", container["Env"]!.ToJsonString());
        Assert.Equal("""{"Test":["CMD","true"],"Interval":5000000000,"Retries":2}""", container["Healthcheck"]!.ToJsonString());
        var template = spec["TaskTemplate"]!;
        Assert.Equal("""{"Limits":{"NanoCPUs":500000000,"MemoryBytes":67108864},"Reservations":{"MemoryBytes":16777216}}""", template["Resources"]!.ToJsonString());
        Assert.Equal("""{"Condition":"on-failure","Delay":2000000000,"MaxAttempts":3}""", template["RestartPolicy"]!.ToJsonString());
        Assert.Equal("""[{"Target":"st_front","Aliases":["site","web"]}]""", template["Networks"]!.ToJsonString());
        Assert.Equal(3, spec["Mode"]!["Replicated"]!["Replicas"]!.GetValue<int>());
        Assert.Equal("""{"Parallelism":2,"Delay":1000000000,"Order":"start-first"}""", spec["UpdateConfig"]!.ToJsonString());
        var endpoint = (JsonObject)spec["EndpointSpec"]!;
        Assert.Equal("dnsrr", endpoint["Mode"]!.GetValue<string>());
        Assert.Equal(
            """[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"},{"Protocol":"udp","TargetPort":90,"PublishedPort":9000,"PublishMode":"ingress"},{"Protocol":"udp","TargetPort":91,"PublishedPort":9001,"PublishMode":"ingress"}]""",
            endpoint["Ports"]!.ToJsonString());
    }

    [Fact]
    public void Defaults_a_global_mode_and_the_stacks_overlay_network()
    {
        var project = Load("""
            services:
              agent:
                image: busybox
                restart: "no"
                deploy: {mode: global}
            """);
        var spec = StackSpecs.ServiceSpec("st", project, project.Services["agent"], StackObjectIds.None);
        Assert.Equal("""{"Global":{}}""", spec["Mode"]!.ToJsonString());
        Assert.Equal("""{"Condition":"none"}""", spec["TaskTemplate"]!["RestartPolicy"]!.ToJsonString());
        Assert.Equal("""[{"Target":"st_default","Aliases":["agent"]}]""", spec["TaskTemplate"]!["Networks"]!.ToJsonString());
        Assert.Equal("vip", spec["EndpointSpec"]!["Mode"]!.GetValue<string>());
        Assert.Equal(["default"], StackSpecs.NetworkKeys(project));
        var network = StackSpecs.NetworkBody("st", project.Networks["default"]);
        Assert.Equal("st_default", network["Name"]!.GetValue<string>());
        Assert.Equal("overlay", network["Driver"]!.GetValue<string>());
        Assert.Equal("""{"com.docker.stack.namespace":"st"}""", network["Labels"]!.ToJsonString());
    }

    [Fact]
    public void An_unknown_deploy_mode_is_refused()
    {
        var project = Load("services:\n  a:\n    image: busybox\n    deploy: {mode: sideways}\n");
        var error = Assert.Throws<Berth.Compose.ComposeException>(() => StackSpecs.ServiceSpec("st", project, project.Services["a"], StackObjectIds.None));
        Assert.Equal("Unknown mode: sideways", error.Message);
    }

    [Fact]
    public void Secrets_configs_and_volumes_become_references_and_mounts_as_docker_converts_them()
    {
        File.WriteAllText(Path.Combine(_directory, "token.txt"), "s3cret");
        var project = Load("""
            services:
              app:
                image: busybox
                secrets:
                  - token
                  - {source: shared, target: /etc/shared.key, uid: "100", gid: "101", mode: 0400}
                configs:
                  - settings
                volumes:
                  - data:/data:ro
                  - type: tmpfs
                    target: /scratch
                    tmpfs: {size: 1048576}
                  - /srv:/srv
            secrets:
              token: {file: ./token.txt}
              shared: {external: true, name: team_key}
            configs:
              settings: {content: "a=1"}
            volumes:
              data: {driver_opts: {type: tmpfs, device: tmpfs}, labels: {k: v}}
            """);
        var ids = new StackObjectIds(
            new Dictionary<string, string> { ["st_token"] = "sid1", ["team_key"] = "sid2" },
            new Dictionary<string, string> { ["st_settings"] = "cid1" });
        var container = StackSpecs.ServiceSpec("st", project, project.Services["app"], ids)["TaskTemplate"]!["ContainerSpec"]!;
        Assert.Equal("""[{"File":{"Name":"token","UID":"0","GID":"0","Mode":292},"SecretID":"sid1","SecretName":"st_token"},"""
            + """{"File":{"Name":"/etc/shared.key","UID":"100","GID":"101","Mode":256},"SecretID":"sid2","SecretName":"team_key"}]""",
            container["Secrets"]!.ToJsonString());
        Assert.Equal("""[{"File":{"Name":"settings","UID":"0","GID":"0","Mode":292},"ConfigID":"cid1","ConfigName":"st_settings"}]""",
            container["Configs"]!.ToJsonString());
        Assert.Equal("""[{"Type":"volume","Target":"/data","ReadOnly":true,"Source":"st_data","VolumeOptions":{"Labels":{"k":"v","com.docker.stack.namespace":"st"},"""
            + "\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"type\":\"tmpfs\",\"device\":\"tmpfs\"}}}},"
            + """{"Type":"tmpfs","Target":"/scratch","TmpfsOptions":{"SizeBytes":1048576}},{"Type":"bind","Target":"/srv","Source":"/srv"}]""",
            container["Mounts"]!.ToJsonString());

        var secret = StackFileObjects.Spec("st", project.Secrets["token"], _ => null);
        Assert.Equal("""{"Name":"st_token","Labels":{"com.docker.stack.namespace":"st"},"Data":"czNjcmV0"}""", secret.ToJsonString());
        var missing = Assert.Throws<Berth.Compose.ComposeException>(() =>
            StackSpecs.ServiceSpec("st", project, project.Services["app"], StackObjectIds.None));
        Assert.Equal("secret not found: st_token", missing.Message);
    }
}
