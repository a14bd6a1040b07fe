using System.Net;
using Berth.Engine.Networks.Ipam;
using Berth.Oci.Errors;

namespace Berth.Tests.Networks;

public sealed class Ipv4SubnetTests
{
    [Theory]
    [InlineData("172.18.0.0/16", "172.18.0.0/16")]
    [InlineData("10.98.0.5/24", "10.98.0.0/24")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("192.168.1.7/32", "192.168.1.7/32")]
    public void Parse_masks_host_bits(string text, string expected) =>
        Assert.Equal(expected, Ipv4Subnet.Parse(text).ToString());

    [Theory]
    [InlineData("172.18.0.0")]
    [InlineData("172.18.0.0/33")]
    [InlineData("172.18.0/16")]
    [InlineData("fd00::/64")]
    [InlineData("172.18.0.0/-1")]
    [InlineData("banana/8")]
    public void Parse_rejects_malformed_text(string text)
    {
        var exception = Assert.Throws<BerthException>(() => Ipv4Subnet.Parse(text));
        Assert.Equal($"invalid CIDR address: {text}", exception.Message);
        Assert.Equal(ErrorKind.Invalid, exception.Kind);
    }

    [Fact]
    public void Broadcast_size_and_containment()
    {
        var subnet = Ipv4Subnet.Parse("10.99.0.0/24");
        Assert.Equal(IPAddress.Parse("10.99.0.255"), subnet.BroadcastAddress);
        Assert.Equal(256UL, subnet.Size);
        Assert.True(subnet.Contains(IPAddress.Parse("10.99.0.77")));
        Assert.False(subnet.Contains(IPAddress.Parse("10.99.1.1")));
        Assert.False(subnet.Contains(IPAddress.IPv6Loopback));
        Assert.True(subnet.Contains(Ipv4Subnet.Parse("10.99.0.128/25")));
        Assert.False(subnet.Contains(Ipv4Subnet.Parse("10.99.0.0/23")));
    }

    [Theory]
    [InlineData("172.17.0.0/16", "172.17.5.0/24", true)]
    [InlineData("172.17.5.0/24", "172.17.0.0/16", true)]
    [InlineData("172.17.0.0/16", "172.18.0.0/16", false)]
    [InlineData("0.0.0.0/0", "10.0.0.0/8", true)]
    [InlineData("192.168.0.0/20", "192.168.16.0/20", false)]
    public void Overlaps_is_symmetric(string a, string b, bool expected)
    {
        Assert.Equal(expected, Ipv4Subnet.Parse(a).Overlaps(Ipv4Subnet.Parse(b)));
        Assert.Equal(expected, Ipv4Subnet.Parse(b).Overlaps(Ipv4Subnet.Parse(a)));
    }
}
