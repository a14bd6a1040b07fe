using System.Net;
using System.Net.Sockets;
using Berth.Engine.Distribution.Http;

namespace Berth.Tests.Distribution;

/// <summary>Unreachable registries are reported in the words of Go's dialer, which is what Docker's daemon prints.</summary>
public class RegistryDialerTests
{
    [Fact]
    public void A_failed_lookup_names_the_host_and_the_name_server()
    {
        Assert.Equal("dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host",
            RegistryDialer.LookupFailure("registry-1.docker.io", SocketError.HostNotFound, "10.255.255.53:53"));
        Assert.Equal("dial tcp: lookup quay.example on 127.0.0.1:53: server misbehaving",
            RegistryDialer.LookupFailure("quay.example", SocketError.TryAgain, "127.0.0.1:53"));
    }

    [Fact]
    public void A_refused_connection_names_the_address_as_go_writes_it()
    {
        Assert.Equal("dial tcp 127.0.0.1:5000: connect: connection refused",
            RegistryDialer.ConnectFailure(new IPEndPoint(IPAddress.Loopback, 5000), SocketError.ConnectionRefused, "Connection refused"));
        Assert.Equal("dial tcp [::1]:443: connect: network is unreachable",
            RegistryDialer.ConnectFailure(new IPEndPoint(IPAddress.IPv6Loopback, 443), SocketError.NetworkUnreachable, "Network is unreachable"));
    }

    [Fact]
    public void The_name_server_is_the_first_of_resolv_conf_else_gos_default()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "# generated\nsearch example\nnameserver 10.255.255.53\nnameserver 1.1.1.1\n");
            Assert.Equal("10.255.255.53:53", RegistryDialer.NameServer(file));
            File.WriteAllText(file, "nameserver fd00::1\n");
            Assert.Equal("[fd00::1]:53", RegistryDialer.NameServer(file));
            File.WriteAllText(file, "search example\n");
            Assert.Equal("127.0.0.1:53", RegistryDialer.NameServer(file));
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Equal("127.0.0.1:53", RegistryDialer.NameServer("/nonexistent/resolv.conf"));
    }
}
