using System.Text.Json.Nodes;
using Berth.Engine.Swarm;
using Berth.Oci.Errors;

namespace Berth.Tests.Swarm;

public sealed class ServiceSpecsTests
{
    // As the daemon reads bodies: member names in any case.
    private static JsonObject Spec(string json) => (JsonObject)JsonNode.Parse(json, new JsonNodeOptions { PropertyNameCaseInsensitive = true })!;

    [Fact]
    public void A_minimal_spec_gets_swarmkits_defaults()
    {
        var spec = ServiceSpecs.Normalize(Spec("""{"Name":"web","TaskTemplate":{"ContainerSpec":{"Image":"busybox"}}}"""), () => "unused");
        Assert.Equal("default", spec["TaskTemplate"]!["ContainerSpec"]!["Isolation"]!.GetValue<string>());
        Assert.Equal("container", spec["TaskTemplate"]!["Runtime"]!.GetValue<string>());
        Assert.Equal(1, ServiceSpecs.Replicas(spec));
        Assert.False(ServiceSpecs.IsGlobal(spec));
        Assert.Equal("vip", spec["EndpointSpec"]!["Mode"]!.GetValue<string>());
        Assert.Equal(("any", TimeSpan.FromSeconds(5), 0L, TimeSpan.Zero), ServiceSpecs.RestartPolicy(spec));
        Assert.Equal((1, TimeSpan.Zero, false, TimeSpan.FromSeconds(5)), ServiceSpecs.UpdatePolicy(spec, rollback: false));
    }

    [Fact]
    public void Member_names_are_read_in_any_case_and_the_mode_is_stored_under_its_canonical_name()
    {
        // docker-py's ServiceMode sends {"replicated": {"Replicas": n}}; Go reads names in any case.
        var spec = ServiceSpecs.Normalize(Spec("""{"name":"py","taskTemplate":{"containerSpec":{"image":"busybox"}},"Mode":{"replicated":{"Replicas":3}}}"""), () => "x");
        Assert.Equal(3, ServiceSpecs.Replicas(spec));
        Assert.Equal("py", ServiceSpecs.Name(spec));
        Assert.True(spec["Mode"]!.AsObject().ContainsKey("Replicated"));
        var global = ServiceSpecs.Normalize(Spec("""{"Name":"g","TaskTemplate":{"ContainerSpec":{"Image":"b"}},"Mode":{"global":{}}}"""), () => "x");
        Assert.True(ServiceSpecs.IsGlobal(global));
    }

    [Fact]
    public void A_spec_without_a_name_gets_a_generated_one()
    {
        var spec = ServiceSpecs.Normalize(Spec("""{"TaskTemplate":{"ContainerSpec":{"Image":"busybox"}}}"""), () => "brave_turing");
        Assert.Equal("brave_turing", ServiceSpecs.Name(spec));
    }

    [Fact]
    public void Ports_policies_and_modes_are_read_as_sent()
    {
        var spec = ServiceSpecs.Normalize(Spec("""
            {"Name":"web","Mode":{"Global":{}},
             "TaskTemplate":{"ContainerSpec":{"Image":"busybox"},
               "RestartPolicy":{"Condition":"on-failure","Delay":1000000000,"MaxAttempts":3}},
             "UpdateConfig":{"Parallelism":2,"Delay":2000000000,"Order":"start-first","Monitor":100000000},
             "EndpointSpec":{"Ports":[{"TargetPort":80,"PublishedPort":8080},{"Protocol":"udp","TargetPort":53,"PublishMode":"host"}]}}
            """), () => "");
        Assert.True(ServiceSpecs.IsGlobal(spec));
        Assert.Equal([("tcp", 80, 8080, "ingress"), ("udp", 53, 0, "host")], ServiceSpecs.Ports(spec));
        Assert.Equal(("on-failure", TimeSpan.FromSeconds(1), 3L, TimeSpan.Zero), ServiceSpecs.RestartPolicy(spec));
        Assert.Equal((2, TimeSpan.FromSeconds(2), true, TimeSpan.FromMilliseconds(100)), ServiceSpecs.UpdatePolicy(spec, rollback: false));
    }

    [Theory]
    [InlineData("""{"Name":"bad name!","TaskTemplate":{"ContainerSpec":{"Image":"busybox"}}}""", "name must be valid as a DNS name component")]
    [InlineData("""{"Name":"web","TaskTemplate":{"ContainerSpec":{}}}""", "ContainerSpec: image reference must be provided")]
    [InlineData("""{"Name":"web","TaskTemplate":{}}""", "ContainerSpec: missing in service spec")]
    [InlineData("""{"Name":"web","TaskTemplate":{"ContainerSpec":{"Image":"b"},"RestartPolicy":{"Condition":"sometimes"}}}""", "TaskSpec: invalid RestartCondition")]
    [InlineData("""{"Name":"web","TaskTemplate":{"ContainerSpec":{"Image":"b"}},"EndpointSpec":{"Ports":[{"TargetPort":0}]}}""", "EndpointSpec: invalid target port")]
    public void Invalid_specs_are_refused_with_swarmkits_words(string json, string message)
    {
        var error = Assert.Throws<BerthException>(() => ServiceSpecs.Normalize(Spec(json), () => "x"));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal("rpc error: code = InvalidArgument desc = " + message, error.Message);
    }

    [Fact]
    public void Udp_through_the_mesh_is_not_implemented()
    {
        Assert.Equal(ErrorKind.NotImplemented, Assert.Throws<BerthException>(() => ServiceSpecs.Normalize(Spec(
            """{"Name":"u","TaskTemplate":{"ContainerSpec":{"Image":"b"}},"EndpointSpec":{"Ports":[{"Protocol":"udp","TargetPort":53}]}}"""), () => "")).Kind);
    }
}
