using Berth.Client;
using Berth.Compose.Execution;
using Berth.Compose.Model;

namespace Berth.Tests.Compose.Execution;

public sealed class EngineBodiesTests
{
    [Fact]
    public void A_network_is_created_with_compose_labels_and_its_settings()
    {
        var network = new NetworkConfig
        {
            Name = "proj_back",
            Driver = "bridge",
            Internal = true,
            DriverOpts = new Dictionary<string, string> { ["com.docker.network.bridge.name"] = "br-back" },
            Ipam = new IpamConfig { Config = [new IpamPool { Subnet = "10.5.0.0/16", Gateway = "10.5.0.1" }] },
            Labels = new Dictionary<string, string> { ["team"] = "net" },
        };
        var body = NetworkEnsurer.CreateBody("proj", "back", network, "2.30.0");
        Assert.Equal(
            """{"Name":"proj_back","CheckDuplicate":true,"Labels":{"team":"net","com.docker.compose.project":"proj","com.docker.compose.network":"back","com.docker.compose.version":"2.30.0"}"""
            + ""","Internal":true,"Attachable":false,"EnableIPv6":false,"Driver":"bridge","Options":{"com.docker.network.bridge.name":"br-back"}"""
            + ""","IPAM":{"Driver":"default","Config":[{"Subnet":"10.5.0.0/16","Gateway":"10.5.0.1"}]}}""",
            Json.Serialize(body));
    }

    [Theory]
    [InlineData("busybox", "busybox", "latest")]
    [InlineData("nginx:1.27", "nginx", "1.27")]
    [InlineData("localhost:5000/app", "localhost:5000/app", "latest")]
    [InlineData("localhost:5000/app:v2", "localhost:5000/app", "v2")]
    public void Image_references_split_into_name_and_tag(string image, string name, string tag)
        => Assert.Equal((name, tag), ImageEnsurer.SplitTag(image));

    [Fact]
    public void A_digest_reference_is_pulled_as_is()
        => Assert.Equal(("busybox@sha256:abc", (string?)null), ImageEnsurer.SplitTag("busybox@sha256:abc"));

    [Fact]
    public void A_built_service_without_image_is_named_after_project_and_service()
    {
        var project = TestProjects.With(new ServiceConfig { Name = "Web", Build = new BuildConfig { Context = "/src" } });
        Assert.Equal("proj-web", ImageEnsurer.ImageName(project, project.Services["Web"]));
        Assert.Equal("busybox", ImageEnsurer.ImageName(project, TestProjects.Service("x")));
    }

    [Fact]
    public void Depends_on_label_lists_service_condition_and_restart()
    {
        var service = new ServiceConfig
        {
            Name = "web",
            DependsOn = new Dictionary<string, DependsOn>
            {
                ["db"] = new() { Condition = "service_healthy", Restart = true },
                ["init"] = new() { Condition = "service_completed_successfully" },
            },
        };
        Assert.Equal("db:service_healthy:true,init:service_completed_successfully:false", ComposeLabels.DependsOnValue(service));
    }

    [Fact]
    public void Anonymous_volumes_of_an_old_container_are_found_by_target()
    {
        var inspect = System.Text.Json.Nodes.JsonNode.Parse("""
            {"Mounts":[
              {"Type":"volume","Name":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","Destination":"/anon"},
              {"Type":"volume","Name":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","Destination":"/image-volume"},
              {"Type":"volume","Name":"proj_data","Destination":"/data"},
              {"Type":"bind","Source":"/src","Destination":"/src"}]}
            """)!.AsObject();
        var service = new ServiceConfig
        {
            Name = "db",
            Volumes = [new ServiceVolume { Type = "volume", Target = "/anon" }, new ServiceVolume { Type = "volume", Source = "data", Target = "/data" }],
        };
        var found = ContainerCreator.AnonymousVolumes(inspect, service);
        Assert.Equal(["/anon", "/image-volume"], found.Keys.Order().ToList());
    }
}
