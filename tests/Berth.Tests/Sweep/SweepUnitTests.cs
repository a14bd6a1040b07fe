using System.Net;
using Berth.Api;
using Berth.Daemon.Endpoints;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Engine.Networks;
using Berth.Oci.Errors;

namespace Berth.Tests.Sweep;

/// <summary>Parsers and mappings changed by the docker 28 command sweep (each compared with dockerd).</summary>
public sealed class SweepUnitTests
{
    [Theory]
    [InlineData(-1L, 0L)]
    [InlineData(0L, 0L)]
    [InlineData(-7L, 0L)]
    [InlineData(50L, 50L)]
    public void Update_keeps_an_unlimited_pids_limit_as_zero(long requested, long stored)
    {
        var host = new HostConfig { PidsLimit = 10, RestartPolicy = new RestartPolicy { Name = "no" } };
        ResourceUpdate.Merge("c", host, new ContainerUpdateRequest { PidsLimit = requested }, true);
        Assert.Equal(stored, host.PidsLimit);
    }

    [Theory]
    [InlineData("nosuch", "No such image: nosuch:latest")]
    [InlineData("nosuch:1", "No such image: nosuch:1")]
    [InlineData("docker.io/library/nosuch", "No such image: nosuch:latest")]
    [InlineData("sha256:abcd", "No such image: sha256:abcd")]
    public void A_missing_image_is_named_as_dockerd_names_it(string name, string message)
    {
        var error = ImageStore.NotFound(name);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_name_that_is_no_reference_is_a_bad_request()
    {
        var error = ImageStore.NotFound("Bad");
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal("invalid reference format: repository name (library/Bad) must be lowercase", error.Message);
    }

    [Fact]
    public void Registry_config_always_has_the_loopback_ranges_and_docker_hub()
    {
        var config = RegistryConfigMapping.From([], []);
        Assert.Equal(["::1/128", "127.0.0.0/8"], config.InsecureRegistryCIDRs!);
        Assert.Empty(config.Mirrors!);
        var hub = Assert.Single(config.IndexConfigs!).Value;
        Assert.Equal(("docker.io", true, true), (hub.Name, hub.Secure, hub.Official));
        Assert.Null(config.AllowNondistributableArtifactsCIDRs);
    }

    [Fact]
    public void Registry_config_shows_mirrors_as_urls_and_insecure_hosts_as_indexes()
    {
        var config = RegistryConfigMapping.From(["https://mirror.example:5000"], ["10.1.0.0/16", "myreg:5000"]);
        Assert.Equal(["https://mirror.example:5000/"], config.Mirrors!);
        Assert.Equal(["10.1.0.0/16", "::1/128", "127.0.0.0/8"], config.InsecureRegistryCIDRs!);
        Assert.Equal(["docker.io", "myreg:5000"], config.IndexConfigs!.Keys);
        Assert.False(config.IndexConfigs["myreg:5000"].Secure);
        Assert.Equal(["https://mirror.example:5000/"], config.IndexConfigs["docker.io"].Mirrors!);
    }

    [Fact]
    public void A_network_record_keeps_its_auxiliary_addresses_reserved_after_a_reload()
    {
        var record = new NetworkRecord
        {
            Id = "n", Name = "n", Driver = "bridge", Created = DateTimeOffset.UnixEpoch,
            Subnet = "10.77.0.0/24", Gateway = "10.77.0.1", AuxiliaryAddresses = new() { ["host1"] = "10.77.0.2" },
        };
        Assert.Equal(IPAddress.Parse("10.77.0.2"), record.Addressing().AuxiliaryAddresses["host1"]);
    }
}
