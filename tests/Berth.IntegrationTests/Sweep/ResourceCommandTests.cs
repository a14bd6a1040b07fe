using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Sweep;

/// <summary>
/// docker 28's network, volume, image and system commands against berthd, each asserting what the reference dockerd
/// printed for the same command (or, where 20.10 and 28 differ, what API 1.50 says).
/// </summary>
public sealed class ResourceCommandTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private Task<CommandResult> Docker(params string[] args) => Daemon.DockerAsync(args);

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private static string Stderr(CommandResult result) => result.Stderr.Trim();

    [Fact]
    public async Task Network_inspect_shows_aux_addresses_ipam_options_and_ipv4()
    {
        string network = Unique("aux");
        (await Docker("network", "create", "--subnet", "10.213.7.0/24", "--aux-address", "router=10.213.7.2", network)).EnsureSuccess();
        var inspect = JsonDocument.Parse((await Docker("network", "inspect", network)).EnsureSuccess().Stdout).RootElement[0];
        Assert.True(inspect.GetProperty("EnableIPv4").GetBoolean());
        var ipam = inspect.GetProperty("IPAM");
        Assert.Equal(JsonValueKind.Object, ipam.GetProperty("Options").ValueKind); // the CLI sent {}
        Assert.Equal("10.213.7.2", ipam.GetProperty("Config")[0].GetProperty("AuxiliaryAddresses").GetProperty("router").GetString());
        // A subnet asked for without a gateway: the gateway chosen is not shown (dockerd shows only what was asked).
        Assert.False(ipam.GetProperty("Config")[0].TryGetProperty("Gateway", out _));
        Assert.Equal("true\n", (await Docker("network", "ls", "--filter", "name=" + network, "--format", "{{.IPv4}}")).EnsureSuccess().Stdout);

        // The reserved address is never handed out, also not after a daemon restart.
        await Daemon.StopAsync();
        await Daemon.LaunchAsync();
        var refused = await Docker("run", "--rm", "--network", network, "--ip", "10.213.7.2", "busybox", "true");
        Assert.NotEqual(0, refused.ExitCode);

        // network connect keeps the endpoint's IPAMConfig and DriverOpts as the CLI sent them ({}), a run's stay null.
        string container = Unique("conn");
        (await Docker("run", "-d", "--name", container, "busybox", "sleep", "100")).EnsureSuccess();
        (await Docker("network", "connect", network, container)).EnsureSuccess();
        Assert.Equal("{} {} null null\n", (await Docker("inspect", container, "--format",
            $"{{{{json (index .NetworkSettings.Networks \"{network}\").IPAMConfig}}}} {{{{json (index .NetworkSettings.Networks \"{network}\").DriverOpts}}}} " +
            "{{json .NetworkSettings.Networks.bridge.IPAMConfig}} {{json .NetworkSettings.Networks.bridge.DriverOpts}}")).Stdout);
        (await Docker("rm", "-f", container)).EnsureSuccess();
        (await Docker("network", "rm", network)).EnsureSuccess();
    }

    [Fact]
    public async Task Network_connect_and_disconnect_errors_are_dockerds()
    {
        string name = Unique("nc");
        (await Docker("create", "--name", name, "busybox")).EnsureSuccess();
        var alias = await Docker("network", "connect", "--alias", "x", "bridge", name);
        Assert.Equal("Error response from daemon: network-scoped alias is supported only for containers in user defined networks", Stderr(alias));
        var ip = await Docker("network", "connect", "--ip", "172.17.0.99", "bridge", name);
        Assert.Equal("Error response from daemon: user specified IP address is supported on user defined networks only", Stderr(ip));
        var forced = await Docker("network", "disconnect", "-f", "bridge", "nosuch-" + name);
        Assert.Equal(1, forced.ExitCode);
        Assert.Equal($"Error response from daemon: endpoint nosuch-{name} not found", Stderr(forced));
        (await Docker("rm", name)).EnsureSuccess();
    }

    [Fact]
    public async Task Filter_errors_are_docker_28s()
    {
        Assert.Equal("Error response from daemon: invalid filter 'bogus'", Stderr(await Docker("volume", "ls", "--filter", "bogus=1")));
        Assert.Equal("Error response from daemon: invalid filter 'bogus'", Stderr(await Docker("volume", "prune", "-f", "--filter", "bogus=1")));
        Assert.Equal("Error response from daemon: failed to parse value as time or duration: \"abc\"",
            Stderr(await Docker("image", "prune", "-f", "--filter", "until=abc")));
    }

    [Fact]
    public async Task Image_ls_with_a_reference_lists_only_the_matching_names()
    {
        string repo = Unique("ref");
        (await Docker("tag", "busybox", repo + ":1")).EnsureSuccess();
        (await Docker("tag", "busybox", repo + ":2")).EnsureSuccess();
        Assert.Equal($"{repo}:1\n{repo}:2\n", (await Docker("image", "ls", repo, "--format", "{{.Repository}}:{{.Tag}}")).EnsureSuccess().Stdout);
        Assert.Equal($"{repo}:2\n", (await Docker("image", "ls", "--filter", $"reference={repo}:2", "--format", "{{.Repository}}:{{.Tag}}")).EnsureSuccess().Stdout);
        (await Docker("rmi", repo + ":1", repo + ":2")).EnsureSuccess();
    }

    [Fact]
    public async Task Missing_images_are_named_with_their_tag_and_bad_names_are_refused()
    {
        var missing = await Docker("rmi", "nosuch-sweep");
        Assert.Equal("Error response from daemon: No such image: nosuch-sweep:latest", Stderr(missing));
        var bad = await Docker("rmi", "Bad");
        Assert.Equal("Error response from daemon: invalid reference format: repository name (library/Bad) must be lowercase", Stderr(bad));
    }

    [Fact]
    public async Task System_df_leaves_out_intermediate_images()
    {
        string step = Unique("step"), top = Unique("top");
        (await Docker("run", "--name", step, "busybox", "touch", "/a")).EnsureSuccess();
        string stepImage = (await Docker("commit", step)).EnsureSuccess().Stdout.Trim();
        (await Docker("run", "--name", top, stepImage, "touch", "/b")).EnsureSuccess();
        (await Docker("commit", top, top + ":1")).EnsureSuccess();
        (await Docker("rm", step, top)).EnsureSuccess();
        // The untagged image is the parent of a tagged one, as a build step is: `docker images` hides it, and so does df.
        string listed = (await Docker("system", "df", "-v", "--format", "{{json .Images}}")).EnsureSuccess().Stdout;
        Assert.DoesNotContain(stepImage["sha256:".Length..][..12], listed);
        Assert.Contains(top, listed);
        (await Docker("rmi", top + ":1")).EnsureSuccess();
    }

    [Fact]
    public async Task Info_reports_the_registry_config_and_os_version()
    {
        var info = (await Docker("info", "--format", "{{json .RegistryConfig.InsecureRegistryCIDRs}} {{(index .RegistryConfig.IndexConfigs \"docker.io\").Official}}")).EnsureSuccess();
        Assert.Equal("[\"::1/128\",\"127.0.0.0/8\"] true\n", info.Stdout);
        string? versionId = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("VERSION_ID="))?["VERSION_ID=".Length..].Trim('"');
        Assert.Equal((versionId ?? "") + "\n", (await Docker("info", "--format", "{{.OSVersion}}")).EnsureSuccess().Stdout);
    }
}
