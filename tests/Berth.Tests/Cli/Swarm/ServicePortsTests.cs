using Berth.Cli.Containers;
using Berth.Cli.Swarm;
using Berth.Client;

namespace Berth.Tests.Cli.Swarm;

public sealed class ServicePortsTests
{
    [Theory]
    [InlineData("8080:80", """[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"}]""")]
    [InlineData("80/udp", """[{"Protocol":"udp","TargetPort":80,"PublishedPort":0,"PublishMode":"ingress"}]""")]
    [InlineData("8080-8081:80-81", """[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"},{"Protocol":"tcp","TargetPort":81,"PublishedPort":8081,"PublishMode":"ingress"}]""")]
    [InlineData("published=8082,target=81,protocol=udp,mode=host", """[{"Protocol":"udp","TargetPort":81,"PublishedPort":8082,"PublishMode":"host"}]""")]
    [InlineData("target=81", """[{"Protocol":"tcp","TargetPort":81,"PublishedPort":0,"PublishMode":"ingress"}]""")]
    public void Parses_short_and_long_syntax(string value, string expected)
        => Assert.Equal(expected, Json.Serialize(new System.Text.Json.Nodes.JsonArray([.. ServicePorts.Parse(value)])));

    [Theory]
    [InlineData("1.2.3.4:80:80", "hostip is not supported")]
    [InlineData("published=80", "missing mandatory field 'target'")]
    [InlineData("target=80,mode=x", "invalid publish mode value (x): must be either 'ingress' or 'host'")]
    [InlineData("target=80,foo=1", "invalid field key: foo")]
    public void Refuses_what_docker_refuses(string value, string message)
        => Assert.Equal(message, Assert.Throws<InvalidOptionException>(() => ServicePorts.Parse(value)).Message);

    [Fact]
    public void Summary_folds_consecutive_ports_and_skips_host_mode()
    {
        var ports = new[]
        {
            new EndpointPort(8081, 81, "tcp", "ingress"),
            new EndpointPort(8080, 80, "tcp", "ingress"),
            new EndpointPort(9000, 90, "udp", "ingress"),
            new EndpointPort(7000, 70, "tcp", "host"),
            new EndpointPort(0, 60, "tcp", "ingress"),
        };
        Assert.Equal("*:8080-8081->80-81/tcp, *:9000->90/udp", ServicePorts.Summary(ports));
    }
}
