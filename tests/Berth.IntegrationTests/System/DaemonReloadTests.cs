using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

// Not Berth.IntegrationTests.System: that namespace would hide the System namespace from every other test file.
namespace Berth.IntegrationTests.DaemonConfig;

/// <summary>daemon.json's engine settings (seccomp profile, IPC mode, experimental, socket group) and SIGHUP reloads.</summary>
public sealed class DaemonReloadTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"berth-daemon-{Guid.NewGuid():N}.json");
    private readonly string _profile = Path.Combine(Path.GetTempPath(), $"berth-seccomp-{Guid.NewGuid():N}.json");

    public void Dispose()
    {
        File.Delete(_config);
        File.Delete(_profile);
    }

    [Fact]
    public async Task The_daemons_seccomp_profile_and_ipc_mode_apply_to_containers_that_set_none()
    {
        File.WriteAllText(_profile, """{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}""");
        File.WriteAllText(_config, $$"""{"seccomp-profile": "{{_profile}}", "default-ipc-mode": "shareable", "experimental": true}""");
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: true, ["--config-file", _config]);

        var refused = await daemon.DockerAsync("run", "--rm", "--network", "none", "busybox", "mkdir", "/made");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Operation not permitted", refused.Stderr + refused.Stdout);
        // The container's own profile wins, and a privileged container runs without one, as with dockerd.
        (await daemon.DockerAsync("run", "--rm", "--network", "none", "--security-opt", "seccomp=unconfined", "busybox", "mkdir", "/made")).EnsureSuccess();
        (await daemon.DockerAsync("run", "--rm", "--network", "none", "--privileged", "busybox", "mkdir", "/made")).EnsureSuccess();

        string id = (await daemon.DockerAsync("create", "--network", "none", "busybox", "true")).EnsureSuccess().Stdout.Trim();
        Assert.Equal("shareable", (await daemon.DockerAsync("inspect", "-f", "{{.HostConfig.IpcMode}}", id)).EnsureSuccess().Stdout.Trim());
        string info = (await daemon.DockerAsync("info", "-f", "{{json .SecurityOptions}} {{.ExperimentalBuild}}")).EnsureSuccess().Stdout.Trim();
        Assert.Equal($"[\"name=seccomp,profile={_profile}\"] true", info);
        Assert.Equal("true", (await daemon.DockerAsync("version", "-f", "{{.Server.Experimental}}")).EnsureSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task A_sighup_reloads_labels_debug_and_registries_and_a_broken_file_changes_nothing()
    {
        File.WriteAllText(_config, """{"labels": ["stage=one"], "insecure-registries": ["10.200.0.1:5000"]}""");
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: false, ["--config-file", _config]);
        Assert.Equal("[\"stage=one\"] false", await InfoAsync(daemon));

        string since = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        File.WriteAllText(_config, """{"labels": ["stage=two", "zone=b"], "debug": true, "insecure-registries": ["10.200.0.2:5000"]}""");
        await daemon.HangUpAsync();
        await daemon.WaitUntilAsync(async () => await InfoAsync(daemon) == "[\"stage=two\",\"zone=b\"] true", "reload");
        string registries = (await daemon.DockerAsync("info", "-f", "{{json .RegistryConfig.IndexConfigs}}")).EnsureSuccess().Stdout;
        Assert.Contains("10.200.0.2:5000", registries);
        Assert.DoesNotContain("10.200.0.1:5000", registries);

        string until = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1).ToString();
        string events = (await daemon.DockerAsync("events", "--since", since, "--until", until, "--filter", "type=daemon", "--format", "{{json .}}")).EnsureSuccess().Stdout;
        using var reload = JsonDocument.Parse(events.Trim().Split('\n')[^1]);
        Assert.Equal("reload", reload.RootElement.GetProperty("Action").GetString());
        var attributes = reload.RootElement.GetProperty("Actor").GetProperty("Attributes");
        Assert.Equal("[\"stage=two\",\"zone=b\"]", attributes.GetProperty("labels").GetString());
        Assert.Equal("true", attributes.GetProperty("debug").GetString());
        Assert.Equal("[\"10.200.0.2:5000\"]", attributes.GetProperty("insecure-registries").GetString());

        File.WriteAllText(_config, """{"labels": ["stage=three"], """);
        await daemon.HangUpAsync();
        await daemon.WaitUntilAsync(() => Task.FromResult(daemon.Log().Contains("Error reconfiguring the daemon", StringComparison.Ordinal)), "log the broken file");
        Assert.Equal("[\"stage=two\",\"zone=b\"] true", await InfoAsync(daemon));
    }

    [Fact]
    public async Task The_sockets_belong_to_the_daemons_group_and_an_unknown_group_stops_it()
    {
        await using (var daemon = await BerthDaemon.StartAsync(withBusybox: false, ["--group", "4242"]))
        {
            var stat = await Commands.RunAsync("stat", ["-c", "%g %a", daemon.Socket]);
            Assert.Equal("4242 660", stat.EnsureSuccess().Stdout.Trim());
        }
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BerthDaemon.StartAsync(withBusybox: false, ["--group", "no-such-group-here"]));
        Assert.Contains("group no-such-group-here not found", error.Message);
    }

    private static async Task<string> InfoAsync(BerthDaemon daemon) =>
        (await daemon.DockerAsync("info", "-f", "{{json .Labels}} {{.Debug}}")).EnsureSuccess().Stdout.Trim();
}
