using Berth.IntegrationTests.Infrastructure;

// Not Berth.IntegrationTests.System: that namespace would hide the System namespace from every other test file.
namespace Berth.IntegrationTests.DaemonConfig;

/// <summary>daemon.json's container defaults, as a dockerd configured with the same file applies them.</summary>
public sealed class DaemonDefaultsTests
{
    [Fact]
    public async Task Dns_ulimits_shm_size_no_new_privileges_and_address_pools_apply_to_new_containers()
    {
        string config = Path.Combine(Path.GetTempPath(), $"berth-daemon-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, """
            {"dns": ["10.0.0.2"], "dns-search": ["corp.example"], "default-shm-size": "32M",
             "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 4096, "Soft": 2048}}, "no-new-privileges": true,
             "default-address-pools": [{"base": "10.123.0.0/16", "size": 24}], "oom-score-adjust": -400}
            """);
        try
        {
            await using var daemon = await BerthDaemon.StartAsync(withBusybox: true, ["--config-file", config]);
            string script = "grep -E '^(nameserver|search)' /etc/resolv.conf; ulimit -n; df -k /dev/shm | tail -1 | awk '{print $2}'; grep NoNewPrivs /proc/self/status";
            var run = await daemon.DockerAsync("run", "--rm", "--network", "none", "busybox", "sh", "-c", script);
            Assert.Equal("search corp.example\nnameserver 10.0.0.2\n2048\n32768\nNoNewPrivs:\t1\n", run.EnsureSuccess().Stdout);
            // The container's own settings win.
            var own = await daemon.DockerAsync("run", "--rm", "--network", "none", "--dns", "10.9.9.9", "--ulimit", "nofile=100:100",
                "--security-opt", "no-new-privileges=false", "busybox", "sh", "-c", "grep nameserver /etc/resolv.conf; ulimit -n; grep NoNewPrivs /proc/self/status");
            Assert.Equal("nameserver 10.9.9.9\n100\nNoNewPrivs:\t0\n", own.EnsureSuccess().Stdout);
            string network = "pool-" + Guid.NewGuid().ToString("N")[..8];
            (await daemon.DockerAsync("network", "create", network)).EnsureSuccess();
            string subnet = (await daemon.DockerAsync("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", network)).EnsureSuccess().Stdout.Trim();
            Assert.StartsWith("10.123.", subnet);
            Assert.EndsWith("/24", subnet);
            (await daemon.DockerAsync("network", "rm", network)).EnsureSuccess();
            Assert.Contains("\"oom-score-adjust\" is not supported by berthd and has no effect", daemon.Log());
        }
        finally
        {
            File.Delete(config);
        }
    }
}
