using System.Text.Json.Nodes;
using Berth.Engine.Swarm;
using Berth.Oci.Errors;

namespace Berth.Tests.Swarm;

/// <summary>Job-mode specs as dockerd 20.10 reads them (its answers recorded for the same bodies).</summary>
public sealed class ServiceSpecsJobTests
{
    private static JsonObject Normalize(string mode, string more = "") => ServiceSpecs.Normalize((JsonObject)JsonNode.Parse(
        """{"Name":"j","TaskTemplate":{"ContainerSpec":{"Image":"busybox"}},"Mode":""" + mode + more + "}",
        new JsonNodeOptions { PropertyNameCaseInsensitive = true })!, () => "unused");

    [Theory]
    [InlineData("""{"ReplicatedJob":{}}""", """{"ReplicatedJob":{"MaxConcurrent":1,"TotalCompletions":1}}""")]
    [InlineData("""{"ReplicatedJob":{"MaxConcurrent":2}}""", """{"ReplicatedJob":{"MaxConcurrent":2,"TotalCompletions":2}}""")]
    [InlineData("""{"ReplicatedJob":{"TotalCompletions":3}}""", """{"ReplicatedJob":{"TotalCompletions":3,"MaxConcurrent":1}}""")]
    [InlineData("""{"ReplicatedJob":{"MaxConcurrent":0,"TotalCompletions":0}}""", """{"ReplicatedJob":{"MaxConcurrent":0,"TotalCompletions":0}}""")]
    [InlineData("""{"replicated-job":{"MaxConcurrent":2,"TotalCompletions":5}}""", """{"ReplicatedJob":{"MaxConcurrent":2,"TotalCompletions":5}}""")]
    [InlineData("""{"GlobalJob":{}}""", """{"GlobalJob":{}}""")]
    public void A_job_mode_gets_dockerds_defaults(string mode, string expected)
    {
        var spec = Normalize(mode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), spec["Mode"]), spec["Mode"]!.ToJsonString());
        Assert.True(ServiceSpecs.IsJob(spec));
    }

    [Fact]
    public void Job_counts_and_mode_names_are_read_from_the_spec()
    {
        var replicated = Normalize("""{"ReplicatedJob":{"MaxConcurrent":2,"TotalCompletions":3}}""");
        Assert.Equal((2, 3), ServiceSpecs.JobCounts(replicated));
        Assert.Equal("replicated-job", ServiceSpecs.ModeName(replicated));
        Assert.False(ServiceSpecs.IsGlobalJob(replicated));
        var global = Normalize("""{"GlobalJob":{}}""");
        Assert.Equal("global-job", ServiceSpecs.ModeName(global));
        Assert.True(ServiceSpecs.IsGlobalJob(global));
        Assert.False(ServiceSpecs.IsGlobal(global));
        Assert.Equal("global", ServiceSpecs.ModeName(Normalize("""{"Global":{}}""")));
        Assert.Equal("replicated", ServiceSpecs.ModeName(Normalize("""{"Replicated":{"Replicas":2}}""")));
        Assert.False(ServiceSpecs.IsJob(Normalize("""{"Replicated":{}}""")));
    }

    [Fact]
    public void A_job_may_not_have_an_update_config_but_may_have_a_rollback_config()
    {
        var error = Assert.Throws<BerthException>(() => Normalize("""{"ReplicatedJob":{}}""", ""","UpdateConfig":{"Parallelism":2}"""));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal("rpc error: code = InvalidArgument desc = Jobs may not have an update config", error.Message);
        Assert.Throws<BerthException>(() => Normalize("""{"GlobalJob":{}}""", ""","UpdateConfig":{}"""));
        Assert.NotNull(Normalize("""{"GlobalJob":{}}""", ""","UpdateConfig":null,"RollbackConfig":{"Parallelism":1}"""));
    }

    [Fact]
    public void Negative_job_counts_fail_as_gos_decoder_fails_them()
    {
        var error = Assert.Throws<BerthException>(() => Normalize("""{"ReplicatedJob":{"MaxConcurrent":-1}}"""));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal("json: cannot unmarshal number -1 into Go struct field ReplicatedJob.Mode.ReplicatedJob.MaxConcurrent of type uint64", error.Message);
    }
}
