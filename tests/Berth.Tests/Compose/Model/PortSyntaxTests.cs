using Berth.Compose.Model;

namespace Berth.Tests.Compose.Model;

public sealed class PortSyntaxTests
{
    private static IReadOnlyList<ServicePort> Ports(string ports) =>
        RawProject.Web($$"""{"image": "nginx", "ports": {{ports}}}""").Ports;

    [Fact]
    public void A_bare_port_is_a_target_published_on_any_host_port()
    {
        var port = Assert.Single(Ports("""["80"]"""));
        Assert.Equal(new ServicePort { Target = 80 }, port);
    }

    [Fact]
    public void Published_target_ip_and_protocol_are_read()
    {
        var ports = Ports("""["8080:80", "127.0.0.1:5353:53/udp", "127.0.0.1::9000"]""");
        Assert.Equal(new ServicePort { Target = 80, Published = "8080" }, ports[0]);
        Assert.Equal(new ServicePort { Target = 53, Published = "5353", HostIp = "127.0.0.1", Protocol = "udp" }, ports[1]);
        Assert.Equal(new ServicePort { Target = 9000, HostIp = "127.0.0.1" }, ports[2]);
    }

    [Fact]
    public void Ipv6_host_addresses_are_bracketed()
    {
        var port = Assert.Single(Ports("""["[::1]:8080:80"]"""));
        Assert.Equal(new ServicePort { Target = 80, Published = "8080", HostIp = "::1" }, port);
    }

    [Fact]
    public void Equal_ranges_pair_up_port_by_port()
    {
        var ports = Ports("""["8000-8001:80-81"]""");
        Assert.Equal([(80, "8000"), (81, "8001")], ports.Select(p => (p.Target, p.Published)));
    }

    [Fact]
    public void A_target_range_alone_expands()
    {
        Assert.Equal([3000, 3001, 3002], Ports("""["3000-3002"]""").Select(p => p.Target));
    }

    [Fact]
    public void A_published_range_with_one_target_stays_a_range()
    {
        var port = Assert.Single(Ports("""["8000-8010:80"]"""));
        Assert.Equal("8000-8010", port.Published);
        Assert.Equal(80, port.Target);
    }

    [Fact]
    public void Long_syntax_is_read()
    {
        var port = Assert.Single(Ports("""
            [{"target": "80", "published": "8080", "host_ip": "0.0.0.0", "protocol": "udp", "mode": "host", "name": "web"}]
            """));
        Assert.Equal(new ServicePort
        {
            Target = 80, Published = "8080", HostIp = "0.0.0.0", Protocol = "udp", Mode = "host", Name = "web",
        }, port);
    }

    [Theory]
    [InlineData("\"abc\"", "services.web.ports.0: invalid port \"abc\"")]
    [InlineData("\"70000\"", "services.web.ports.0: invalid port \"70000\"")]
    [InlineData("\"80/xyz\"", "services.web.ports.0: invalid protocol \"xyz\"")]
    public void Bad_ports_name_the_field(string port, string message) =>
        Assert.Equal(message, RawProject.WebError($$"""{"image": "nginx", "ports": [{{port}}]}"""));

    [Fact]
    public void Mismatched_ranges_are_refused() =>
        Assert.Contains("invalid ranges", RawProject.WebError("""{"image": "x", "ports": ["8000-8002:80-81"]}"""));

    [Fact]
    public void Expose_gives_engine_keys_with_ranges_expanded()
    {
        var web = RawProject.Web("""{"image": "x", "expose": ["80", "53/udp", "9000-9001"]}""");
        Assert.Equal(["80/tcp", "53/udp", "9000/tcp", "9001/tcp"], web.Expose);
    }
}
