using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Logging;

/// <summary>
/// A legacy logging plugin (berth-test-plugin on the host, found by its socket in berthd's --plugin-dir) that cannot
/// read its lines back, and is berthd's default driver (--log-driver, as daemon.json's log-driver): it reads the FIFO in
/// berthd's exec root, and docker logs reads the dual-logging cache, or answers 501 with cache-disabled=true, as dockerd does.
/// </summary>
public sealed class LegacyLogPluginTests : IAsyncLifetime
{
    private const string Plugin = "llp";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly string _dir = "/run/bt-logp-" + Guid.NewGuid().ToString("N")[..8];
    private TestPluginProcess? _plugin;
    private BerthDaemon? _daemon;

    private string Received => Path.Combine(_dir, "received.log");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _plugin = await TestPluginProcess.StartAsync(Path.Combine(_dir, Plugin + ".sock"), "--logdriver-log", Received, "--readlogs", "false");
        _daemon = await BerthDaemon.StartAsync(withBusybox: true, ["--plugin-dir", _dir, "--log-driver", Plugin]);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DockerAsync("rm", "-f", "ll-one", "ll-two");
            await _daemon.DisposeAsync();
        }
        if (_plugin is not null) await _plugin.StopAsync();
        _plugin?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_legacy_default_plugin_reads_a_fifo_on_the_host_and_docker_logs_reads_the_cache()
    {
        var daemon = _daemon!;
        (await daemon.DockerAsync("run", "--name", "ll-one", "busybox", "sh", "-c", "echo one; sleep 0.1; echo two >&2")).EnsureSuccess();
        Assert.Equal(Plugin, (await daemon.DockerAsync("inspect", "-f", "{{.HostConfig.LogConfig.Type}}", "ll-one")).EnsureSuccess().Stdout.Trim());
        string id = (await daemon.DockerAsync("inspect", "-f", "{{.Id}}", "ll-one")).EnsureSuccess().Stdout.Trim();
        string fifo = Path.Combine(daemon.ExecRoot, "logging", id);
        string log = await WaitForAsync($"stop {fifo}");
        Assert.Equal([$"start {fifo} {id} /ll-one", "stdout one", "stderr two", $"stop {fifo} drained"], log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(fifo), "the FIFO is removed");
        var logs = (await daemon.DockerAsync("logs", "ll-one")).EnsureSuccess();
        Assert.Equal(("one\n", "two\n"), (logs.Stdout, logs.Stderr));

        (await daemon.DockerAsync("run", "--name", "ll-two", "--log-driver", Plugin, "--log-opt", "cache-disabled=true", "busybox", "echo", "three")).EnsureSuccess();
        await WaitForAsync("stdout three");
        var unread = await daemon.DockerAsync("logs", "ll-two");
        Assert.NotEqual(0, unread.ExitCode);
        Assert.Contains("configured logging driver does not support reading", unread.Stderr);
    }

    private async Task<string> WaitForAsync(string text)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            string content = File.Exists(Received) ? await File.ReadAllTextAsync(Received) : "";
            if (content.Contains(text, StringComparison.Ordinal)) return content;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"\"{text}\" not in {Received} after {Wait}:\n{content}");
            await Task.Delay(50);
        }
    }
}
