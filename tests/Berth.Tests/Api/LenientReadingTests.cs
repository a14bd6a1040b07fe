using Berth.Api;

namespace Berth.Tests.Api;

/// <summary>Request bodies are read the way Go's encoding/json reads them.</summary>
public sealed class LenientReadingTests
{
    [Fact]
    public void PropertyNamesMatchCaseInsensitively()
    {
        var request = ApiJson.Deserialize("""{"image":"busybox","hostconfig":{"networkmode":"host","PORTBINDINGS":{"80/tcp":[{"hostport":"8080"}]}}}""",
            ApiJson.Context.ContainerCreateRequest)!;

        Assert.Equal("busybox", request.Image);
        Assert.Equal("host", request.HostConfig!.NetworkMode);
        Assert.Equal("8080", request.HostConfig.PortBindings!["80/tcp"]![0].HostPort);
    }

    [Fact]
    public void UnknownPropertiesAreIgnored()
    {
        var request = ApiJson.Deserialize("""{"Image":"busybox","FutureField":{"x":[1,2]},"HostConfig":{"Nope":true}}""",
            ApiJson.Context.ContainerCreateRequest)!;

        Assert.Equal("busybox", request.Image);
    }

    [Fact]
    public void NullNumbersAndBooleansReadAsZero()
    {
        var request = ApiJson.Deserialize("""{"Tty":null,"HostConfig":{"Memory":null,"Privileged":null,"OomScoreAdj":null,"MemorySwappiness":null}}""",
            ApiJson.Context.ContainerCreateRequest)!;

        Assert.False(request.Tty);
        Assert.Equal(0, request.HostConfig!.Memory);
        Assert.False(request.HostConfig.Privileged);
        Assert.Null(request.HostConfig.MemorySwappiness);
    }

    [Fact]
    public void CommandsAcceptASingleString()
    {
        var request = ApiJson.Deserialize("""{"Cmd":"echo hi","Entrypoint":"/bin/sh","HostConfig":{"CapAdd":"NET_ADMIN"}}""",
            ApiJson.Context.ContainerCreateRequest)!;

        Assert.Equal(["echo hi"], request.Cmd!);
        Assert.Equal(["/bin/sh"], request.Entrypoint!);
        Assert.Equal(["NET_ADMIN"], request.HostConfig!.CapAdd!);
    }

    [Fact]
    public void LargeNumbersReadIntoLong()
    {
        var request = ApiJson.Deserialize("""{"HostConfig":{"Memory":9223372036854771712,"NanoCpus":1500000000}}""",
            ApiJson.Context.ContainerCreateRequest)!;

        Assert.Equal(9223372036854771712, request.HostConfig!.Memory);
        Assert.Equal(1_500_000_000, request.HostConfig.NanoCpus);
    }

    [Fact]
    public void DockerPyStyleCreateBodyIsRead()
    {
        // docker-py sends only what was asked for, with nulls for unset lists.
        var request = ApiJson.Deserialize("""
            {"Hostname":null,"Image":"busybox","Cmd":["true"],"Labels":{"a":"b"},"Env":null,"StopSignal":null,
             "HostConfig":{"NetworkMode":"default","Binds":null,"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":""}]}},
             "NetworkingConfig":{"EndpointsConfig":{"mynet":{"Aliases":["web"]}}}}
            """, ApiJson.Context.ContainerCreateRequest)!;

        Assert.Equal("b", request.Labels!["a"]);
        Assert.Equal(["web"], request.NetworkingConfig!.EndpointsConfig!["mynet"]!.Aliases!);
    }
}
