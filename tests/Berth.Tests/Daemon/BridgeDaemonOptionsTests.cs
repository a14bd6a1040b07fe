using System.Net;
using Berth.Daemon.Hosting;
using Berth.Oci.Errors;

namespace Berth.Tests.Daemon;

/// <summary>dockerd's networking keys and flags (bip, fixed-cidr, mtu, bridge, icc, ip-masq, iptables, ip-forward, ip, default-gateway).</summary>
public sealed class BridgeDaemonOptionsTests
{
    [Fact]
    public void Defaults_are_dockerds()
    {
        var bridge = DaemonOptions.Parse(["--config-file=/dev/null"]).DefaultBridge;
        Assert.Null(bridge.BridgeIp);
        Assert.Null(bridge.BridgeName);
        Assert.Equal(0, bridge.Mtu);
        Assert.True(bridge.InterContainerCommunication && bridge.IpMasquerade && bridge.Iptables && bridge.IpForward);
        Assert.Null(bridge.DefaultBindingIp);
    }

    [Fact]
    public void File_keys_are_read()
    {
        var bridge = WithFile("""
            {"bip": "10.187.0.1/24", "fixed-cidr": "10.187.0.128/25", "mtu": 1400, "icc": false, "ip-masq": false,
             "ip-forward": false, "ip": "127.0.0.1", "default-gateway": "10.187.0.254"}
            """).DefaultBridge;
        Assert.Equal("10.187.0.1/24", bridge.BridgeIp);
        Assert.Equal("10.187.0.128/25", bridge.FixedCidr);
        Assert.Equal(1400, bridge.Mtu);
        Assert.False(bridge.InterContainerCommunication);
        Assert.False(bridge.IpMasquerade);
        Assert.False(bridge.IpForward);
        Assert.Equal(IPAddress.Loopback, bridge.DefaultBindingIp);
        Assert.Equal(IPAddress.Parse("10.187.0.254"), bridge.DefaultGateway);
    }

    [Fact]
    public void Flags_come_in_both_forms()
    {
        var bridge = DaemonOptions.Parse(["--config-file=/dev/null", "--bip", "10.187.1.1/24", "--mtu=1450", "--icc=false", "--ip", "127.0.0.1",
            "--ip-masq=false", "--ip-forward", "--iptables"]).DefaultBridge;
        Assert.Equal("10.187.1.1/24", bridge.BridgeIp);
        Assert.Equal(1450, bridge.Mtu);
        Assert.False(bridge.InterContainerCommunication);
        Assert.False(bridge.IpMasquerade);
        Assert.True(bridge.IpForward && bridge.Iptables);
        Assert.Equal(IPAddress.Loopback, bridge.DefaultBindingIp);
        Assert.Equal("none", DaemonOptions.Parse(["--config-file=/dev/null", "-b", "none"]).DefaultBridge.BridgeName);
        Assert.True(DaemonOptions.Parse(["--config-file=/dev/null", "--bridge=none"]).DefaultBridge.BridgeDisabled);
    }

    [Fact]
    public void Userland_proxy_is_always_on_and_turning_it_off_is_warned_about()
    {
        Assert.Empty(DaemonOptions.Parse(["--config-file=/dev/null", "--userland-proxy"]).IgnoredKeys);
        Assert.Equal(["userland-proxy"], DaemonOptions.Parse(["--config-file=/dev/null", "--userland-proxy=false"]).IgnoredKeys);
    }

    [Theory]
    [InlineData("--bip=foo", "failed to start daemon: Error initializing network controller: invalid CIDR address: foo")]
    [InlineData("--fixed-cidr=bar", "failed to start daemon: Error initializing network controller: invalid CIDR address: bar")]
    [InlineData("--bip=10.187.0.0/24",
        "failed to start daemon: Error initializing network controller: Error creating default \"bridge\" network: failed to allocate gateway (10.187.0.0): Address already in use")]
    [InlineData("--mtu=-5", "failed to start daemon: Error initializing network controller: Error creating default \"bridge\" network: invalid MTU number: -5")]
    [InlineData("--mtu=abc", "invalid argument \"abc\" for \"--mtu\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("--ip=nope", "invalid argument \"nope\" for \"--ip\" flag: nope is not an ip address")]
    [InlineData("--default-gateway=zz", "invalid argument \"zz\" for \"--default-gateway\" flag: zz is not an ip address")]
    [InlineData("--icc=maybe", "invalid argument \"maybe\" for \"--icc\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax")]
    [InlineData("--ip-forward=x", "invalid argument \"x\" for \"--ip-forward\" flag: strconv.ParseBool: parsing \"x\": invalid syntax")]
    public void Invalid_flags_stop_the_daemon_with_dockerds_message(string flag, string message)
    {
        var error = Assert.Throws<BerthException>(() => DaemonOptions.Parse(["--config-file=/dev/null", flag]));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Invalid_file_values_name_the_file()
    {
        string file = Path.GetTempFileName();
        try
        {
            Assert.Equal($"unable to configure the daemon with file {file}: json: cannot unmarshal string into Go struct field Config.mtu of type int",
                Error(file, """{"mtu": "abc"}"""));
            Assert.Equal($"unable to configure the daemon with file {file}: invalid IP address: nope", Error(file, """{"ip": "nope"}"""));
            Assert.Equal($"unable to configure the daemon with file {file}: json: cannot unmarshal string into Go struct field Config.icc of type bool",
                Error(file, """{"icc": "maybe"}"""));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Ipv6_on_the_default_bridge_takes_its_subnet_from_fixed_cidr_v6_in_either_order()
    {
        var bridge = DaemonOptions.Parse(["--config-file=/dev/null", "--ipv6", "--fixed-cidr-v6", "fd42:1::/64", "--ip6tables=false"]).DefaultBridge;
        Assert.True(bridge.EnableIpv6);
        Assert.Equal("fd42:1::/64", bridge.FixedCidrV6);
        Assert.False(bridge.Ip6tables);
        var file = WithFile("""{"fixed-cidr-v6": "fd42:2::/64", "ipv6": true}""").DefaultBridge;
        Assert.True(file.EnableIpv6 && file.Ip6tables);
        Assert.Equal("fd42:2::/64", file.FixedCidrV6);
        Assert.Empty(WithFile("""{"ipv6": true, "fixed-cidr-v6": "fd42:2::/64", "ip6tables": true}""").IgnoredKeys);
        // dockerd's refusal at start: IPv6 for the default bridge needs a subnet.
        Assert.Equal("failed to start daemon: Error initializing network controller: IPv6 is enabled for the default bridge, but no subnet is configured. Specify an IPv6 subnet using --fixed-cidr-v6",
            Assert.Throws<BerthException>(() => WithFile("""{"ipv6": true}""")).Message);
        Assert.Equal("failed to start daemon: Error initializing network controller: invalid CIDR address: 10.1.0.0/16",
            Assert.Throws<BerthException>(() => DaemonOptions.Parse(["--config-file=/dev/null", "--fixed-cidr-v6=10.1.0.0/16"])).Message);
    }

    [Fact]
    public void Settings_that_exclude_each_other_are_refused_in_either_order()
    {
        Assert.Equal("failed to start daemon: You specified -b & --bip, mutually exclusive options. Please specify only one",
            Assert.Throws<BerthException>(() => WithFile("""{"bridge": "br0", "bip": "10.187.0.1/24"}""")).Message);
        Assert.Throws<BerthException>(() => DaemonOptions.Parse(["--config-file=/dev/null", "--bip=10.187.0.1/24", "-b", "br0"]));
        Assert.Equal("failed to start daemon: You specified --iptables=false with --icc=false. ICC=false uses iptables to function. Please set --icc or --iptables to true",
            Assert.Throws<BerthException>(() => DaemonOptions.Parse(["--config-file=/dev/null", "--icc=false", "--iptables=false"])).Message);
        Assert.Throws<BerthException>(() => WithFile("""{"bip": "10.187.0.1/24", "fixed-cidr": "10.188.0.0/25"}"""));
    }

    private static string Error(string file, string json)
    {
        File.WriteAllText(file, json);
        return Assert.Throws<BerthException>(() => DaemonOptions.Parse(["--config-file", file])).Message;
    }

    private static DaemonOptions WithFile(string json)
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, json);
            return DaemonOptions.Parse(["--config-file", file]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
