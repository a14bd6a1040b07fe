using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Nftables;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>
/// A berthd's nftables table over its life: made at start, following network create and rm, reconciled after a
/// SIGKILL (rules of a network removed meanwhile go, another daemon's table stays), gone with the daemon's data root.
/// </summary>
public sealed class NatTableLifecycleTests
{
    private static Task<CommandResult> ListTableAsync(string table) => Commands.RunAsync("nft", ["list", "table", "ip", table]);

    [Fact]
    public async Task The_table_follows_the_networks_survives_a_kill_and_goes_with_the_daemon()
    {
        var other = new BridgeFirewall(new DeviceNames("another-daemon-" + Guid.NewGuid().ToString("N")));
        other.Apply([new BridgeNetwork("x", "x", "brnotreal0", NetworkAddressing.FromBridgeIp("10.213.253.1/24"))]);
        var daemon = await BerthDaemon.StartAsync(withBusybox: false);
        var names = new DeviceNames(Path.GetFullPath(daemon.DataRoot));
        try
        {
            string defaultBridge = (await daemon.DockerAsync("network", "inspect", "-f", "{{index .Options \"com.docker.network.bridge.name\"}}", "bridge")).EnsureSuccess().Stdout.Trim();
            string table = (await ListTableAsync(names.FirewallTable)).EnsureSuccess().Stdout;
            Assert.Contains($"oifname != \"{defaultBridge}\" masquerade", table);

            string id = (await daemon.DockerAsync("network", "create", "kept")).EnsureSuccess().Stdout.Trim();
            string gone = (await daemon.DockerAsync("network", "create", "gone")).EnsureSuccess().Stdout.Trim();
            string removed = (await daemon.DockerAsync("network", "create", "--internal", "removed")).EnsureSuccess().Stdout.Trim();
            table = (await ListTableAsync(names.FirewallTable)).EnsureSuccess().Stdout;
            Assert.Contains($"oifname != \"{names.BridgeFor(id)}\" masquerade comment \"berth network kept\"", table);
            Assert.Contains($"iifname \"{names.BridgeFor(removed)}\" oifname != \"{names.BridgeFor(removed)}\" drop", table);

            (await daemon.DockerAsync("network", "rm", "removed")).EnsureSuccess();
            table = (await ListTableAsync(names.FirewallTable)).EnsureSuccess().Stdout;
            Assert.DoesNotContain(names.BridgeFor(removed), table);
            Assert.Contains(names.BridgeFor(gone), table);

            // Killed; a network's record goes while it is down (as if removed then): its rules go at the next start.
            await daemon.KillAsync();
            File.Delete(Path.Combine(daemon.DataRoot, "networks", gone + ".json"));
            Assert.Contains(names.BridgeFor(gone), (await ListTableAsync(names.FirewallTable)).EnsureSuccess().Stdout);
            await daemon.LaunchAsync();
            table = (await ListTableAsync(names.FirewallTable)).EnsureSuccess().Stdout;
            Assert.DoesNotContain(names.BridgeFor(gone), table);
            Assert.Contains(names.BridgeFor(id), table);
            Assert.Contains($"oifname != \"{defaultBridge}\" masquerade", table);
            Assert.Contains("10.213.253.0/24", (await ListTableAsync(other.Table)).EnsureSuccess().Stdout);
        }
        finally
        {
            await daemon.DisposeAsync();
            BridgeFirewall.DeleteTable(other.Table);
        }
        Assert.NotEqual(0, (await ListTableAsync(names.FirewallTable)).ExitCode);
        var links = await Commands.RunAsync("ip", ["-o", "link", "show"]);
        Assert.DoesNotContain(names.OwnerTag, links.Stdout);
    }
}
