using Berth.Api;
using Berth.Engine;
using Berth.Engine.Containers;

namespace Berth.Tests.Engine;

public sealed class ResolvConfTests
{
    [Fact]
    public void The_daemons_settings_stand_in_for_each_kind_the_container_leaves_unset()
    {
        var daemon = new DnsDefaults(["10.0.0.2"], ["corp"], ["ndots:2"]);
        string text = ResolvConf.For(new HostConfig { Dns = ["1.1.1.1"] }, daemon);
        Assert.Equal("search corp\nnameserver 1.1.1.1\noptions ndots:2\n", text);
        Assert.Contains("nameserver 10.0.0.2\n", ResolvConf.For(new HostConfig(), daemon));
        Assert.DoesNotContain("10.0.0.2", ResolvConf.For(new HostConfig(), new DnsDefaults([], [], [])));
    }
}
