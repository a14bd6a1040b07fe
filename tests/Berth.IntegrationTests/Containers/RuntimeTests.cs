using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>
/// OCI runtimes besides runc (daemon.json "runtimes", --add-runtime, "default-runtime"). The runtime "wrap" is a shell
/// script that logs its arguments and runs runc with them; its runtimeArgs (<c>--rootless false</c>, harmless to runc)
/// must come first. Every step of a "wrap" container's life has to go through it.
/// </summary>
public sealed class RuntimeTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"berth-runtime-{Guid.NewGuid():N}");
    private string ConfigFile => Path.Combine(_dir, "daemon.json");
    private string WrapperLog => Path.Combine(_dir, "wrap.log");
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        string wrapper = Path.Combine(_dir, "wrap");
        File.WriteAllText(wrapper, $"#!/bin/sh\necho \"$*\" >> '{WrapperLog}'\nexec /usr/sbin/runc \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        WriteConfig(withGone: true);
        _daemon = await BerthDaemon.StartAsync(withBusybox: true, ["--config-file", ConfigFile, "--add-runtime", "plain=/usr/sbin/runc"]);
    }

    private void WriteConfig(bool withGone)
    {
        var runtimes = new Dictionary<string, object>
        {
            ["wrap"] = new Dictionary<string, object> { ["path"] = Path.Combine(_dir, "wrap"), ["runtimeArgs"] = new[] { "--rootless", "false" } },
        };
        if (withGone) runtimes["gone"] = new Dictionary<string, object> { ["path"] = "/usr/sbin/runc" };
        File.WriteAllText(ConfigFile, JsonSerializer.Serialize(new Dictionary<string, object> { ["default-runtime"] = "wrap", ["runtimes"] = runtimes }));
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The wrapper's invocations for one container: its arguments after the runtimeArgs, which must lead.</summary>
    private List<string> CallsFor(string id)
    {
        var calls = new List<string>();
        foreach (string line in File.Exists(WrapperLog) ? File.ReadAllLines(WrapperLog) : [])
        {
            if (!line.Contains(id, StringComparison.Ordinal)) continue;
            Assert.StartsWith("--rootless false --root ", line);
            calls.Add(line);
        }
        return calls;
    }

    private static bool HasVerb(IEnumerable<string> calls, string verb) => calls.Any(c => c.Contains($" {verb} ", StringComparison.Ordinal));

    [Fact]
    public async Task Run_with_a_named_runtime_goes_through_it_for_create_start_and_delete()
    {
        var run = await _daemon.DockerAsync("run", "--name", "wrapped-run", "--runtime", "wrap", "busybox", "echo", "hi");
        Assert.Equal("hi\n", run.EnsureSuccess().Stdout);
        string id = (await _daemon.DockerAsync("inspect", "-f", "{{.Id}}", "wrapped-run")).EnsureSuccess().Stdout.Trim();
        Assert.Equal("wrap\n", (await _daemon.DockerAsync("inspect", "-f", "{{.HostConfig.Runtime}}", id)).Stdout);
        var calls = CallsFor(id);
        Assert.True(HasVerb(calls, "create") && HasVerb(calls, "start") && HasVerb(calls, "delete"), string.Join('\n', calls));
        (await _daemon.DockerAsync("rm", id)).EnsureSuccess();
    }

    [Fact]
    public async Task Exec_pause_update_top_stats_stop_and_a_daemon_restart_work_through_the_runtime()
    {
        string id = (await _daemon.DockerAsync("run", "-d", "--runtime", "wrap", "busybox", "sleep", "1000")).EnsureSuccess().Stdout.Trim();
        Assert.Equal("in\n", (await _daemon.DockerAsync("exec", id, "echo", "in")).EnsureSuccess().Stdout);
        Assert.True(HasVerb(CallsFor(id), "exec"));

        (await _daemon.DockerAsync("pause", id)).EnsureSuccess();
        Assert.Equal("paused\n", (await _daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", id)).Stdout);
        (await _daemon.DockerAsync("unpause", id)).EnsureSuccess();
        Assert.True(HasVerb(CallsFor(id), "pause") && HasVerb(CallsFor(id), "resume"));

        (await _daemon.DockerAsync("update", "--memory", "64m", "--memory-swap", "128m", id)).EnsureSuccess();
        Assert.True(HasVerb(CallsFor(id), "update"));
        Assert.Contains("sleep 1000", (await _daemon.DockerAsync("top", id)).EnsureSuccess().Stdout);
        Assert.Contains(id[..12], (await _daemon.DockerAsync("stats", "--no-stream", id)).EnsureSuccess().Stdout);

        // The shim keeps the container; the next daemon takes it back and still uses the runtime.
        await _daemon.KillAsync();
        await _daemon.LaunchAsync();
        Assert.Equal("again\n", (await _daemon.DockerAsync("exec", id, "echo", "again")).EnsureSuccess().Stdout);
        Assert.Equal(2, CallsFor(id).Count(c => c.Contains(" exec ", StringComparison.Ordinal)));

        (await _daemon.DockerAsync("stop", "-t", "1", id)).EnsureSuccess();
        Assert.True(HasVerb(CallsFor(id), "kill"), string.Join('\n', CallsFor(id)));
        Assert.Equal("137\n", (await _daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", id)).Stdout);
        (await _daemon.DockerAsync("rm", id)).EnsureSuccess();
    }

    [Fact]
    public async Task The_default_runtime_is_recorded_and_runc_stays_available()
    {
        string byDefault = (await _daemon.DockerAsync("create", "busybox", "true")).EnsureSuccess().Stdout.Trim();
        Assert.Equal("wrap\n", (await _daemon.DockerAsync("inspect", "-f", "{{.HostConfig.Runtime}}", byDefault)).Stdout);

        var runc = await _daemon.DockerAsync("run", "--name", "plain-runc", "--runtime", "runc", "busybox", "echo", "plain");
        Assert.Equal("plain\n", runc.EnsureSuccess().Stdout);
        string runcId = (await _daemon.DockerAsync("inspect", "-f", "{{.Id}}", "plain-runc")).Stdout.Trim();
        Assert.Empty(CallsFor(runcId));
        Assert.Equal("plain\n", (await _daemon.DockerAsync("run", "--rm", "--runtime", "plain", "busybox", "echo", "plain")).EnsureSuccess().Stdout);
        (await _daemon.DockerAsync("rm", byDefault, runcId)).EnsureSuccess();
    }

    [Fact]
    public async Task Info_lists_every_runtime_and_the_default()
    {
        var info = (await _daemon.DockerAsync("info")).EnsureSuccess().Stdout;
        // docker prints them in Go's map order, which varies.
        string runtimesLine = info.Split('\n').Single(l => l.StartsWith(" Runtimes: ", StringComparison.Ordinal));
        Assert.Equal(["gone", "io.containerd.runc.v2", "plain", "runc", "wrap"], runtimesLine[" Runtimes: ".Length..].Split(' ').Order(StringComparer.Ordinal));
        Assert.Contains(" Default Runtime: wrap\n", info);
        var berthInfo = (await _daemon.BerthAsync("info")).EnsureSuccess().Stdout;
        Assert.Contains(" Runtimes: gone io.containerd.runc.v2 plain runc wrap\n", berthInfo);

        using var json = JsonDocument.Parse(await _daemon.Http.GetStringAsync("/v1.50/info"));
        var runtimes = json.RootElement.GetProperty("Runtimes");
        Assert.Equal(Path.Combine(_dir, "wrap"), runtimes.GetProperty("wrap").GetProperty("path").GetString());
        Assert.Equal(["--rootless", "false"], runtimes.GetProperty("wrap").GetProperty("runtimeArgs").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("/usr/sbin/runc", runtimes.GetProperty("plain").GetProperty("path").GetString());
        Assert.False(runtimes.GetProperty("runc").TryGetProperty("runtimeArgs", out _));
        Assert.Equal("wrap", json.RootElement.GetProperty("DefaultRuntime").GetString());
    }

    [Fact]
    public async Task An_unknown_runtime_is_refused_at_create_and_a_removed_one_at_start()
    {
        var run = await _daemon.DockerAsync("run", "--rm", "--runtime", "nope", "busybox", "true");
        Assert.Equal(125, run.ExitCode);
        Assert.Contains("Error response from daemon: Unknown runtime specified nope", run.Stderr);
        using var response = await _daemon.Http.PostAsync("/v1.50/containers/create",
            new StringContent("""{"Image": "busybox", "HostConfig": {"Runtime": "nope"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("""{"message":"Unknown runtime specified nope"}""", (await response.Content.ReadAsStringAsync()).Trim());

        // The container keeps the runtime's name; the daemon restarted without it cannot start the container.
        string id = (await _daemon.DockerAsync("create", "--runtime", "gone", "busybox", "true")).EnsureSuccess().Stdout.Trim();
        await _daemon.StopAsync();
        WriteConfig(withGone: false);
        await _daemon.LaunchAsync();
        Assert.Equal("gone\n", (await _daemon.DockerAsync("inspect", "-f", "{{.HostConfig.Runtime}}", id)).Stdout);
        var start = await _daemon.DockerAsync("start", id);
        Assert.NotEqual(0, start.ExitCode);
        Assert.Contains("Unknown runtime specified gone", start.Stderr);
        (await _daemon.DockerAsync("rm", id)).EnsureSuccess();
    }

    [Theory]
    [InlineData("{}", "--add-runtime=runc=/bin/true", "invalid argument \"runc=/bin/true\" for \"--add-runtime\" flag: runtime name 'runc' is reserved")]
    [InlineData("""{"runtimes": {"runc": {"path": "/bin/true"}}}""", "--debug", "configuration validation from file failed: runtime name 'runc' is reserved")]
    [InlineData("{}", "--default-runtime=nope", "specified default runtime 'nope' does not exist")]
    public async Task The_daemon_refuses_to_start_with_a_bad_runtime_setting(string config, string flag, string message)
    {
        string root = Path.Combine(_dir, "refused"), file = Path.Combine(_dir, "refused.json");
        File.WriteAllText(file, config);
        var result = await Commands.RunAsync(BerthBinaries.Daemon, ["--config-file", file, flag,
            "-H", $"unix://{root}/s.sock", "--data-root", root, "--exec-root", root + "-exec", "--pidfile", root + "/pid"], timeout: TimeSpan.FromSeconds(20));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.False(Directory.Exists(root));
    }
}
