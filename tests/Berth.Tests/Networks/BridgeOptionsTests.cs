using System.Net;
using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Nftables;
using Berth.Engine.Networks.Ipam;
using Berth.Oci.Errors;

namespace Berth.Tests.Networks;

/// <summary>The bridge driver's options of `network create -o`, read as dockerd reads them.</summary>
public sealed class BridgeOptionsTests
{
    [Fact]
    public void Options_left_out_keep_the_drivers_defaults()
    {
        var options = BridgeOptions.Parse(new Dictionary<string, string>());
        Assert.True(options.InterContainerCommunication);
        Assert.True(options.IpMasquerade);
        Assert.Null(options.HostBindingIp);
        Assert.Equal(0, options.MtuValue);
    }

    [Fact]
    public void Options_are_read()
    {
        var options = BridgeOptions.Parse(new Dictionary<string, string>
        {
            [BridgeOptions.EnableIcc] = "false",
            [BridgeOptions.EnableIpMasquerade] = "0",
            [BridgeOptions.HostBindingIpv4] = "127.0.0.1",
            [BridgeOptions.Mtu] = "1450",
        });
        Assert.False(options.InterContainerCommunication);
        Assert.False(options.IpMasquerade);
        Assert.Equal(IPAddress.Loopback, options.HostBindingIp);
        Assert.Equal(1450, options.MtuValue);
        Assert.Null(BridgeOptions.Parse(new Dictionary<string, string> { [BridgeOptions.HostBindingIpv4] = "0.0.0.0" }).HostBindingIp);
    }

    [Theory]
    [InlineData(BridgeOptions.EnableIcc, "maybe", "failed to parse com.docker.network.bridge.enable_icc value: maybe (strconv.ParseBool: parsing \"maybe\": invalid syntax)")]
    [InlineData(BridgeOptions.EnableIpMasquerade, "xx", "failed to parse com.docker.network.bridge.enable_ip_masquerade value: xx (strconv.ParseBool: parsing \"xx\": invalid syntax)")]
    [InlineData(BridgeOptions.HostBindingIpv4, "zz", "failed to parse com.docker.network.bridge.host_binding_ipv4 value: zz (nil ip)")]
    [InlineData(BridgeOptions.HostBindingIpv4, "1", "failed to parse com.docker.network.bridge.host_binding_ipv4 value: 1 (nil ip)")]
    [InlineData(BridgeOptions.Mtu, "abc", "failed to parse com.docker.network.driver.mtu value: abc (strconv.Atoi: parsing \"abc\": invalid syntax)")]
    [InlineData(BridgeOptions.Mtu, "-3", "invalid MTU number: -3")]
    public void Invalid_values_fail_with_dockerds_500(string key, string value, string message)
    {
        var error = Assert.Throws<BerthException>(() => BridgeOptions.Parse(new Dictionary<string, string> { [key] = value }));
        Assert.Equal(message, error.Message);
        Assert.Equal(ErrorKind.Internal, error.Kind);
    }

    [Fact]
    public void A_network_without_masquerading_gets_no_nat_rule()
    {
        var addressing = NetworkAddressing.FromBridgeIp("10.1.2.1/24");
        int withNat = BridgeFirewall.Plan("t", [new BridgeNetwork("a", "web", "br1", addressing)]).Count;
        int without = BridgeFirewall.Plan("t", [new BridgeNetwork("a", "web", "br1", addressing) { Masquerade = false }]).Count;
        Assert.Equal(withNat - 1, without);
    }

    [Fact]
    public void Bip_gives_the_gateway_its_subnet_and_the_fixed_range()
    {
        var addressing = NetworkAddressing.FromBridgeIp("10.187.0.1/24", "10.187.0.128/25");
        Assert.Equal("10.187.0.0/24", addressing.Subnet.ToString());
        Assert.Equal(IPAddress.Parse("10.187.0.1"), addressing.Gateway);
        Assert.Equal("10.187.0.128/25", addressing.IpRange?.ToString());
        Assert.Equal("Error creating default \"bridge\" network: failed to allocate gateway (10.187.0.0): Address already in use",
            Assert.Throws<BerthException>(() => NetworkAddressing.FromBridgeIp("10.187.0.0/24")).Message);
    }
}
