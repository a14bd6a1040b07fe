using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>What dockerd gives every container without being asked, checked from inside it and through inspect.</summary>
public sealed class ContainerDefaultsTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData("bridge")]
    [InlineData("none")]
    public async Task A_container_on_networks_without_ipv6_has_no_ipv6_at_all(string network)
    {
        var inside = await Daemon.DockerAsync("run", "--rm", "--network", network, "busybox", "sh", "-c",
            "ip a | grep -c inet6; cat /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/lo/disable_ipv6; ping -c1 -W2 127.0.0.1 >/dev/null && echo loopback");
        Assert.Equal("0\n1\n1\nloopback\n", inside.Stdout);
    }

    [Fact]
    public async Task Inspect_shows_the_default_masked_and_read_only_paths_of_an_unprivileged_container()
    {
        string id = (await Daemon.DockerAsync("create", "busybox")).EnsureSuccess().Stdout.Trim();
        string privileged = (await Daemon.BerthAsync("create", "--privileged", "busybox")).EnsureSuccess().Stdout.Trim();
        try
        {
            var paths = (await Daemon.DockerAsync("inspect", id, "--format", "{{json .HostConfig.MaskedPaths}} {{json .HostConfig.ReadonlyPaths}}")).Stdout;
            Assert.StartsWith("[\"/proc/asound\",\"/proc/acpi\",\"/proc/kcore\"", paths);
            Assert.EndsWith(" [\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]\n", paths);
            Assert.Equal("null null\n", (await Daemon.DockerAsync("inspect", privileged, "--format", "{{json .HostConfig.MaskedPaths}} {{json .HostConfig.ReadonlyPaths}}")).Stdout);
        }
        finally
        {
            await Daemon.DockerAsync("rm", id, privileged);
        }
    }
}
