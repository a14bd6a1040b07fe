using Berth.Cli;
using Berth.Cli.Commands;

namespace Berth.Tests.Cli;

/// <summary>network create's IPAM configs as the docker CLI builds them: ranges, gateways and aux-addresses go to the subnet containing them.</summary>
public sealed class NetworkCreateIpamTests
{
    [Fact]
    public void A_gateway_goes_to_the_subnet_of_its_family_whatever_the_flag_order()
    {
        var config = NetworkCreateCommand.ConsolidateIpam(["172.28.0.0/16", "fd12:3456::/64"], ["fd12:3456::1:0/112"], ["fd12:3456::fe"],
            ["router=172.28.0.5"]);
        Assert.Equal(
            """[{"Subnet":"172.28.0.0/16","AuxiliaryAddresses":{"router":"172.28.0.5"}},{"Subnet":"fd12:3456::/64","IPRange":"fd12:3456::1:0/112","Gateway":"fd12:3456::fe"}]""",
            config.ToJsonString());
    }

    [Theory]
    [InlineData(new[] { "fd12::/64" }, new string[0], new[] { "fd13::1" }, "no matching subnet for gateway fd13::1")]
    [InlineData(new[] { "fd12::/64" }, new[] { "fd13::/80" }, new string[0], "no matching subnet for range fd13::/80")]
    [InlineData(new[] { "fd12::/64", "fd12::/80" }, new string[0], new string[0], "multiple overlapping subnet configuration is not supported")]
    [InlineData(new[] { "fd12::/64", "10.0.0.0/8" }, new string[0], new[] { "fd12::1", "fd12::2" }, "cannot configure multiple gateways (fd12::2, fd12::1) for the same subnet (fd12::/64)")]
    [InlineData(new[] { "fd12::/64" }, new string[0], new[] { "fd12::1", "fd12::2" }, "every ip-range or gateway must have a corresponding subnet")]
    [InlineData(new[] { "fd12::zz/64" }, new string[0], new string[0], "invalid subnet: invalid CIDR address: fd12::zz/64")]
    public void Mismatches_fail_with_the_docker_clis_words(string[] subnets, string[] ranges, string[] gateways, string message)
    {
        var error = Assert.Throws<CliException>(() => NetworkCreateCommand.ConsolidateIpam(subnets, ranges, gateways, []));
        Assert.Equal(message, error.Message);
    }
}
