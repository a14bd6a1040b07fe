using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>berthd --ipv6 --fixed-cidr-v6: the default bridge is dual-stack, and inspect's top-level IPv6 fields show it as dockerd's do.</summary>
public sealed class Ipv6DefaultBridgeTests
{
    [Fact]
    public async Task The_default_bridge_takes_its_ipv6_subnet_from_fixed_cidr_v6()
    {
        int a = Random.Shared.Next(100, 250), c = Random.Shared.Next(0x1000, 0xffff);
        string prefix = $"fd{a:x2}:{c:x4}::";
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: true, ["--ipv6", "--fixed-cidr-v6", prefix + "/64"]);
        var bridge = (await daemon.DockerAsync("network", "inspect", "-f", "{{.EnableIPv6}} {{(index .IPAM.Config 1).Subnet}}", "bridge")).EnsureSuccess();
        Assert.Equal($"true {prefix}/64\n", bridge.Stdout);

        string name = "dual-" + Guid.NewGuid().ToString("N")[..8];
        (await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "60")).EnsureSuccess();
        var settings = (await daemon.DockerAsync("inspect", "-f",
            "{{.NetworkSettings.GlobalIPv6Address}} {{.NetworkSettings.GlobalIPv6PrefixLen}} {{.NetworkSettings.IPv6Gateway}}", name)).EnsureSuccess();
        Assert.Equal($"{prefix}2 64 {prefix}1\n", settings.Stdout);
        (await daemon.DockerAsync("exec", name, "ping6", "-c", "1", "-W", "5", prefix + "1")).EnsureSuccess();
        var wrongPlace = await daemon.DockerAsync("run", "--rm", "--ip6", prefix + "9", "busybox", "true");
        Assert.Contains("user specified IP address is supported on user defined networks only", wrongPlace.Stderr);
        await daemon.DockerAsync("rm", "-f", name);
    }
}
