using System.Text.Json.Nodes;
using Berth.IntegrationTests.Infrastructure;
using Berth.IntegrationTests.Plugins;

namespace Berth.IntegrationTests.Logging;

/// <summary>
/// A logging plugin (berth-test-plugin in its logdriver mode, installed as a managed docker.logdriver/1.0 plugin)
/// through the real docker CLI: it reads each line from the FIFO berthd gives it inside its own root, stdout and
/// stderr in order; docker logs reads them back through ReadLogs; a container's end (rm -f too) stops the logging
/// after the plugin has read everything, also when berthd restarted meanwhile (the shim kept writing), and the plugin
/// is in use while a container logs to it.
/// </summary>
public sealed class LogPluginTests : IAsyncLifetime
{
    private const string Plugin = "lp";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync(withBusybox: true);

    public async Task DisposeAsync()
    {
        await _daemon.DockerAsync("rm", "-f", "lp-one", "lp-two");
        await _daemon.DockerAsync("plugin", "rm", "-f", Plugin);
        await _daemon.DisposeAsync();
    }

    [Fact]
    public async Task A_plugin_receives_the_lines_in_order_gives_them_back_and_is_stopped_when_the_container_ends()
    {
        var (pluginId, received) = await InstallPluginAsync();

        var run = (await _daemon.DockerAsync("run", "--name", "lp-one", "--log-driver", Plugin, "busybox", "sh", "-c",
            "echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; sleep 0.1; printf 'no newline'")).EnsureSuccess();
        Assert.Equal("one\nthree\nno newline", run.Stdout);
        string id = (await _daemon.DockerAsync("inspect", "-f", "{{.Id}}", "lp-one")).EnsureSuccess().Stdout.Trim();
        string file = "/run/docker/logging/" + id;
        string log = await WaitForAsync(received, $"stop {file}");
        Assert.Equal(
            [$"start {file} {id} /lp-one", "stdout one", "stderr two", "stdout three", "stdout no newline (partial)", $"stop {file} drained"],
            log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(Path.Combine(_daemon.DataRoot, "plugins", pluginId, "rootfs", "run", "docker", "logging", id)), "the FIFO is removed");

        // docker logs: through ReadLogs, each stream to its own.
        var logs = (await _daemon.DockerAsync("logs", "lp-one")).EnsureSuccess();
        Assert.Equal("one\nthree\nno newline", logs.Stdout);
        Assert.Equal("two\n", logs.Stderr);
        Assert.Equal("three\nno newline", (await _daemon.DockerAsync("logs", "--tail", "2", "lp-one")).EnsureSuccess().Stdout);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z one\n", (await _daemon.DockerAsync("logs", "-t", "lp-one")).EnsureSuccess().Stdout);

        // A running container: the plugin is in use; rm -f ends it, and the logging stops after its last line.
        (await _daemon.DockerAsync("run", "-d", "--name", "lp-two", "--log-driver", Plugin, "busybox", "sh", "-c", "echo up; exec sleep 60")).EnsureSuccess();
        string id2 = (await _daemon.DockerAsync("inspect", "-f", "{{.Id}}", "lp-two")).EnsureSuccess().Stdout.Trim();
        await WaitForAsync(received, "stdout up");
        var disable = await _daemon.DockerAsync("plugin", "disable", Plugin);
        Assert.NotEqual(0, disable.ExitCode);
        Assert.Contains($"plugin {Plugin}:latest is in use", disable.Stderr);
        (await _daemon.DockerAsync("rm", "-f", "lp-two")).EnsureSuccess();
        Assert.Contains($"stop /run/docker/logging/{id2} drained", await WaitForAsync(received, $"stop /run/docker/logging/{id2}"));

        // Not a logging plugin, or none at all: dockerd's lookup error at create.
        var missing = await _daemon.DockerAsync("create", "--log-driver", "nosuchplugin", "busybox");
        Assert.Contains("error looking up logging plugin nosuchplugin: plugin \"nosuchplugin\" not found", missing.Stderr);
    }

    [Fact]
    public async Task The_shim_keeps_writing_while_berthd_is_down_and_the_next_berthd_stops_the_logging()
    {
        var (_, received) = await InstallPluginAsync();
        (await _daemon.DockerAsync("run", "-d", "--name", "lp-one", "--log-driver", Plugin, "busybox", "sh", "-c", "echo before; sleep 2; echo after")).EnsureSuccess();
        string id = (await _daemon.DockerAsync("inspect", "-f", "{{.Id}}", "lp-one")).EnsureSuccess().Stdout.Trim();
        await WaitForAsync(received, "stdout before");
        await _daemon.StopAsync();
        await WaitForAsync(received, "stdout after"); // the plugin, left running, reads what the shim writes
        await _daemon.LaunchAsync();
        string log = await WaitForAsync(received, $"stop /run/docker/logging/{id}");
        Assert.EndsWith($"stdout before\nstdout after\nstop /run/docker/logging/{id} drained\n", log);
        Assert.Equal("before\nafter\n", (await _daemon.DockerAsync("logs", "lp-one")).EnsureSuccess().Stdout);
    }

    /// <summary>Creates and enables the plugin; returns its ID and the host path of the file it writes what it gets to.</summary>
    private async Task<(string Id, string Received)> InstallPluginAsync()
    {
        string dir = await PluginDirectory.CreateAsync(_daemon.Root, new JsonObject
        {
            ["Description"] = "berth test logging plugin",
            ["Interface"] = new JsonObject { ["Types"] = new JsonArray("docker.logdriver/1.0"), ["Socket"] = PluginDirectory.Socket },
            ["Entrypoint"] = new JsonArray("/berth-test-plugin", "--socket", "/run/docker/plugins/" + PluginDirectory.Socket, "--logdriver-log", "/received.log"),
            ["PropagatedMount"] = "",
        });
        (await _daemon.DockerAsync("plugin", "create", Plugin, dir)).EnsureSuccess();
        await PluginDirectory.EnableAsync(_daemon, Plugin);
        string id = (await _daemon.DockerAsync("plugin", "inspect", "-f", "{{.Id}}", Plugin)).EnsureSuccess().Stdout.Trim();
        return (id, Path.Combine(_daemon.DataRoot, "plugins", id, "rootfs", "received.log"));
    }

    private static async Task<string> WaitForAsync(string file, string text)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            string content = File.Exists(file) ? await File.ReadAllTextAsync(file) : "";
            if (content.Contains(text, StringComparison.Ordinal)) return content;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"\"{text}\" not in {file} after {Wait}:\n{content}");
            await Task.Delay(50);
        }
    }
}
