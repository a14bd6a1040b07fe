using System.Net;
using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Netlink;
using Berth.Oci.Errors;

namespace Berth.Tests.Networks;

public sealed class DeviceNamesTests
{
    [Fact]
    public void Names_fit_the_kernels_fifteen_characters_and_carry_the_daemon_prefix()
    {
        var names = new DeviceNames("/var/lib/berth");
        string bridge = names.BridgeFor("2ee215b889a2dbba8d5da5746bbde7fbaacd072d81fa8cc0409658128c8ea9c9");
        string veth = names.VethFor("93eba1b6a5ffd4f45add856968d209b7cd1a744e9176d1e4e405485b08832280");
        Assert.Equal(15, bridge.Length);
        Assert.Equal(15, veth.Length);
        Assert.Equal("br" + names.Prefix + "2ee215b8", bridge);
        Assert.Equal("ve" + names.Prefix + "93eba1b6", veth);
        Assert.Equal(10, names.DefaultBridge.Length);
        Assert.Equal(15, names.VethFor("x").Length);
    }

    [Fact]
    public void Two_daemons_never_share_names_or_tags_and_one_daemon_keeps_them_across_restarts()
    {
        var first = new DeviceNames("/tmp/berth-it-1/data");
        var second = new DeviceNames("/tmp/berth-it-2/data");
        Assert.NotEqual(first.Prefix, second.Prefix);
        Assert.NotEqual(first.OwnerTag, second.OwnerTag);
        Assert.NotEqual(first.VethFor("abcdef0123"), second.VethFor("abcdef0123"));
        Assert.Equal(first.OwnerTag, new DeviceNames("/tmp/berth-it-1/data").OwnerTag);
    }

    [Fact]
    public void Ownership_is_the_alias_tag()
    {
        var names = new DeviceNames("/var/lib/berth");
        Assert.True(names.IsOwned(new LinkInfo(5, "x", "veth", 0, 1500, true, null, names.OwnerTag)));
        Assert.False(names.IsOwned(new LinkInfo(5, "docker0", "bridge", 0, 1500, true, null, null)));
    }

    [Fact]
    public void Mac_addresses_follow_docker()
    {
        Assert.Equal("02:42:ac:11:00:02", MacAddress.FromIPv4(IPAddress.Parse("172.17.0.2")).ToString());
        Assert.Equal("02:42:ac:1e:00:02", MacAddress.Parse("02:42:AC:1E:00:02").ToString());
        var random = MacAddress.Random();
        Span<byte> bytes = stackalloc byte[6];
        random.WriteTo(bytes);
        Assert.Equal(0x02, bytes[0] & 0x03);
        Assert.Throws<BerthException>(() => MacAddress.Parse("02:42:ac:11:00"));
        Assert.Throws<BerthException>(() => MacAddress.Parse("02:42:ac:11:00:zz"));
    }
}
