using Berth.Engine.Networks.Ipam;
using Berth.Oci.Errors;

namespace Berth.Tests.Networks;

public sealed class AddressPoolTests
{
    [Fact]
    public void Docker_defaults_are_172_17_to_172_31_then_192_168_slash_20s()
    {
        var subnets = AddressPool.DockerDefaults.SelectMany(pool => pool.Subnets()).Select(s => s.ToString()).ToList();
        Assert.Equal(15 + 16, subnets.Count);
        Assert.Equal("172.17.0.0/16", subnets[0]);
        Assert.Equal("172.18.0.0/16", subnets[1]);
        Assert.Equal("172.31.0.0/16", subnets[14]);
        Assert.Equal("192.168.0.0/20", subnets[15]);
        Assert.Equal("192.168.16.0/20", subnets[16]);
        Assert.Equal("192.168.240.0/20", subnets[^1]);
    }

    [Fact]
    public void A_configured_pool_is_cut_into_subnets_of_its_size()
    {
        var pool = AddressPool.Create("10.10.0.0/16", 24);
        var subnets = pool.Subnets().ToList();
        Assert.Equal(256, subnets.Count);
        Assert.Equal("10.10.0.0/24", subnets[0].ToString());
        Assert.Equal("10.10.255.0/24", subnets[^1].ToString());
    }

    [Theory]
    [InlineData("10.10.0.0/16", 8)]
    [InlineData("10.10.0.0/16", 31)]
    public void A_size_outside_the_base_is_refused(string cidr, int size) =>
        Assert.Equal(ErrorKind.Invalid, Assert.Throws<BerthException>(() => AddressPool.Create(cidr, size)).Kind);
}
