using System.Net;
using Berth.Engine.Networks.Ipam;
using Berth.Oci.Errors;

namespace Berth.Tests.Networks;

public sealed class Ipv6SubnetTests
{
    [Theory]
    [InlineData("fd12:3456::/64", "fd12:3456::/64")]
    [InlineData("fd13::5/64", "fd13::/64")]
    [InlineData("2001:db8:1:2:3:4:5:6/48", "2001:db8:1::/48")]
    [InlineData("::/0", "::/0")]
    [InlineData("fd00::1/128", "fd00::1/128")]
    public void Prefixes_parse_with_their_host_bits_cleared(string text, string expected) =>
        Assert.Equal(expected, Ipv6Subnet.Parse(text).ToString());

    [Theory]
    [InlineData("fd12::")]
    [InlineData("fd12::/129")]
    [InlineData("fd12::zz/64")]
    [InlineData("172.18.0.0/16")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("fd12::/-1")]
    public void Anything_but_an_ipv6_prefix_is_refused(string text)
    {
        Assert.False(Ipv6Subnet.TryParse(text, out _));
        var error = Assert.Throws<BerthException>(() => Ipv6Subnet.Parse(text));
        Assert.Equal($"invalid CIDR address: {text}", error.Message);
    }

    [Fact]
    public void Containment_and_overlap_follow_the_prefix()
    {
        var wide = Ipv6Subnet.Parse("fd12:3456::/32");
        var narrow = Ipv6Subnet.Parse("fd12:3456:7::/64");
        var other = Ipv6Subnet.Parse("fd12:3457::/64");
        Assert.True(wide.Contains(narrow));
        Assert.False(narrow.Contains(wide));
        Assert.True(wide.Overlaps(narrow) && narrow.Overlaps(wide));
        Assert.False(narrow.Overlaps(other));
        Assert.True(narrow.Contains(IPAddress.Parse("fd12:3456:7::ffff")));
        Assert.False(narrow.Contains(IPAddress.Parse("172.18.0.1")));
        Assert.Equal(IPAddress.Parse("fd12:3456:7:0:ffff:ffff:ffff:ffff"), Ipv6Subnet.ToAddress(narrow.Last));
    }

    [Fact]
    public void The_family_of_a_config_is_read_off_its_subnet()
    {
        Assert.True(Ipv6Subnet.IsIpv6("fd12::/64"));
        Assert.False(Ipv6Subnet.IsIpv6("172.28.0.0/16"));
        Assert.False(Ipv6Subnet.IsIpv6(null));
    }
}
