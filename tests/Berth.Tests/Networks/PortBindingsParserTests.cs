using System.Net;
using Berth.Api;
using Berth.Api.Json;
using Berth.Engine.Networks.Ports;
using Berth.Oci.Errors;

namespace Berth.Tests.Networks;

public sealed class PortBindingsParserTests
{
    private static Dictionary<string, List<PortBinding>?> Bindings(params (string Port, string Ip, string HostPort)[] entries)
    {
        var map = new Dictionary<string, List<PortBinding>?>();
        foreach (var (port, ip, hostPort) in entries)
        {
            if (map.GetValueOrDefault(port) is not { } list) map[port] = list = [];
            list.Add(new PortBinding { HostIp = ip, HostPort = hostPort });
        }
        return map;
    }

    [Theory]
    [InlineData("80/tcp", 80, PortProtocol.Tcp)]
    [InlineData("53/udp", 53, PortProtocol.Udp)]
    [InlineData("8080", 8080, PortProtocol.Tcp)]
    [InlineData("9/SCTP", 9, PortProtocol.Sctp)]
    public void Container_ports_parse_like_docker_keys(string text, int port, PortProtocol protocol)
    {
        var parsed = ContainerPort.Parse(text);
        Assert.Equal(new ContainerPort(port, protocol), parsed);
    }

    [Theory]
    [InlineData("0/tcp")]
    [InlineData("70000/tcp")]
    [InlineData("80/icmp")]
    [InlineData("http")]
    public void Bad_container_ports_are_invalid(string text) =>
        Assert.Equal(ErrorKind.Invalid, Assert.Throws<BerthException>(() => ContainerPort.Parse(text)).Kind);

    [Fact]
    public void Explicit_bindings_keep_ip_port_and_ranges_in_dockerds_order()
    {
        var requests = PortBindingsParser.Parse(
            Bindings(("81/tcp", "", "18093"), ("80/udp", "", "18081"), ("80/tcp", "127.0.0.1", "18091"), ("80/tcp", "", "8000-8010"),
                ("90/tcp", "::1", "")),
            null, publishAll: false);
        Assert.Equal(
        [
            new PortBindingRequest(new ContainerPort(80, PortProtocol.Tcp), IPAddress.Loopback, 18091, 18091),
            new PortBindingRequest(new ContainerPort(80, PortProtocol.Tcp), null, 8000, 8010),
            new PortBindingRequest(new ContainerPort(80, PortProtocol.Udp), null, 18081, 18081),
            new PortBindingRequest(new ContainerPort(81, PortProtocol.Tcp), null, 18093, 18093),
            new PortBindingRequest(new ContainerPort(90, PortProtocol.Tcp), IPAddress.IPv6Loopback, 0, 0),
        ], requests);
    }

    [Fact]
    public void Publish_all_gives_every_exposed_port_without_a_binding_an_ephemeral_one()
    {
        var exposed = new Dictionary<string, EmptyObject> { ["90/tcp"] = new(), ["80/tcp"] = new(), ["53/udp"] = new() };
        var requests = PortBindingsParser.Parse(Bindings(("80/tcp", "", "8080")), exposed, publishAll: true);
        Assert.Equal(
        [
            new PortBindingRequest(new ContainerPort(53, PortProtocol.Udp), null, 0, 0),
            new PortBindingRequest(new ContainerPort(80, PortProtocol.Tcp), null, 8080, 8080),
            new PortBindingRequest(new ContainerPort(90, PortProtocol.Tcp), null, 0, 0),
        ], requests);
    }

    [Fact]
    public void Exposed_ports_are_not_published_without_publish_all()
    {
        var exposed = new Dictionary<string, EmptyObject> { ["90/tcp"] = new() };
        Assert.Empty(PortBindingsParser.Parse(new Dictionary<string, List<PortBinding>?> { ["91/tcp"] = null }, exposed, publishAll: false));
        Assert.Equal(["90/tcp", "91/tcp"], PortBindingsParser.ExposedPorts(
            new Dictionary<string, List<PortBinding>?> { ["91/tcp"] = null }, exposed).Select(p => p.ToString()));
    }

    [Fact]
    public void Exposed_ranges_expand()
    {
        var exposed = new Dictionary<string, EmptyObject> { ["8000-8002/udp"] = new() };
        Assert.Equal(3, PortBindingsParser.Parse(null, exposed, publishAll: true).Count);
    }

    [Theory]
    [InlineData("not-an-ip", "80")]
    [InlineData("", "80x")]
    [InlineData("", "90-80")]
    [InlineData("", "70000")]
    public void Bad_bindings_are_invalid(string ip, string hostPort) =>
        Assert.Equal(ErrorKind.Invalid, Assert.Throws<BerthException>(() =>
            PortBindingsParser.Parse(Bindings(("80/tcp", ip, hostPort)), null, false)).Kind);
}
