using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>
/// Logging drivers through the docker CLI: json-file with max-size/max-file rotation and compression, local, none, the
/// delivery mode options, and the daemon's default driver and options.
/// </summary>
public sealed class LoggingTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Json_file_rotates_at_max_size_and_logs_reads_across_the_files()
    {
        string id = (await Daemon.DockerAsync("run", "-d", "--log-opt", "max-size=2k", "--log-opt", "max-file=3", "busybox", "sh", "-c",
            "i=1; while [ $i -le 200 ]; do echo line-$i; i=$((i+1)); done")).EnsureSuccess().Stdout.Trim();
        Assert.Equal("0", (await Daemon.DockerAsync("wait", id)).EnsureSuccess().Stdout.Trim());

        string logPath = (await Daemon.DockerAsync("inspect", "-f", "{{.LogPath}}", id)).EnsureSuccess().Stdout.Trim();
        Assert.True(File.Exists(logPath + ".1") && File.Exists(logPath + ".2"), "the log was not rotated");
        Assert.False(File.Exists(logPath + ".3"), "more files kept than max-file");
        Assert.True(new FileInfo(logPath + ".1").Length < 2 * 2048, "a rotated file grew well past max-size");

        var lines = (await Daemon.DockerAsync("logs", id)).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line-200", lines[^1]);
        int first = int.Parse(lines[0]["line-".Length..]);
        Assert.Equal(Enumerable.Range(first, 201 - first).Select(i => $"line-{i}"), lines); // in order, none missing
        Assert.True(first > 1, "the oldest lines should have been rotated away");
        Assert.Equal("line-199\nline-200\n", (await Daemon.DockerAsync("logs", "--tail", "2", id)).EnsureSuccess().Stdout);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task The_none_driver_keeps_no_log_and_logs_says_it_cannot_read()
    {
        string id = "nolog-" + Guid.NewGuid().ToString("N")[..8];
        var run = await Daemon.DockerAsync("run", "--name", id, "--log-driver", "none", "busybox", "echo", "hello");
        Assert.Equal("hello\n", run.EnsureSuccess().Stdout); // attach still works
        Assert.Equal("", (await Daemon.DockerAsync("inspect", "-f", "{{.LogPath}}", id)).EnsureSuccess().Stdout.Trim());
        var logs = await Daemon.DockerAsync("logs", id);
        Assert.NotEqual(0, logs.ExitCode);
        Assert.Contains("configured logging driver does not support reading", logs.Stderr);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task Bad_log_options_get_dockers_errors()
    {
        var unknown = await Daemon.DockerAsync("create", "--log-opt", "foo=1", "busybox");
        Assert.Contains("unknown log opt 'foo' for json-file log driver", unknown.Stderr);
        var plugin = await Daemon.DockerAsync("create", "--log-driver", "nosuchdriver", "busybox");
        Assert.Contains("error looking up logging plugin nosuchdriver", plugin.Stderr);
        var size = await Daemon.DockerAsync("run", "--rm", "--log-opt", "max-size=abc", "busybox", "true");
        Assert.Contains("failed to initialize logging driver: invalid size: 'abc'", size.Stderr);
    }

    private static string Lines(int count) => $"i=1; while [ $i -le {count} ]; do echo line-$i; i=$((i+1)); done";

    private static void AssertContiguousTo(int last, string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"line-{last}", lines[^1]);
        int first = int.Parse(lines[0]["line-".Length..]);
        Assert.Equal(Enumerable.Range(first, last + 1 - first).Select(i => $"line-{i}"), lines);
    }

    [Fact]
    public async Task Json_file_with_compress_gzips_rotated_files_and_logs_reads_them()
    {
        string id = (await Daemon.DockerAsync("run", "-d", "--log-opt", "max-size=2k", "--log-opt", "max-file=3", "--log-opt", "compress=true",
            "busybox", "sh", "-c", Lines(300))).EnsureSuccess().Stdout.Trim();
        Assert.Equal("0", (await Daemon.DockerAsync("wait", id)).EnsureSuccess().Stdout.Trim());
        string logPath = (await Daemon.DockerAsync("inspect", "-f", "{{.LogPath}}", id)).EnsureSuccess().Stdout.Trim();
        // The shim compresses in the background: the .gz of the newest rotated file may still be on its way.
        for (int i = 0; i < 50 && !File.Exists(logPath + ".1.gz"); i++) await Task.Delay(100);
        Assert.True(File.Exists(logPath + ".1.gz") && File.Exists(logPath + ".2.gz"), "the rotated files were not compressed");
        Assert.False(File.Exists(logPath + ".3.gz"), "more files kept than max-file");
        var logs = (await Daemon.DockerAsync("logs", id)).EnsureSuccess().Stdout;
        AssertContiguousTo(300, logs);
        Assert.True(logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 60, "the compressed files were not read");
        Assert.Equal("line-300\n", (await Daemon.DockerAsync("logs", "--tail", "1", id)).EnsureSuccess().Stdout);
        var tooFew = await Daemon.DockerAsync("run", "--rm", "--log-opt", "compress=true", "busybox", "true");
        Assert.Contains("failed to initialize logging driver: compress cannot be true when max-file is less than 2 or max-size is not set", tooFew.Stderr);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task The_local_driver_keeps_rotated_compressed_files_that_logs_reads()
    {
        string id = (await Daemon.DockerAsync("run", "-d", "--log-driver", "local", "--log-opt", "max-size=2k", "--log-opt", "max-file=3",
            "busybox", "sh", "-c", Lines(300))).EnsureSuccess().Stdout.Trim();
        Assert.Equal("0", (await Daemon.DockerAsync("wait", id)).EnsureSuccess().Stdout.Trim());
        Assert.Equal("", (await Daemon.DockerAsync("inspect", "-f", "{{.LogPath}}", id)).EnsureSuccess().Stdout.Trim());
        string dir = Path.Combine(Daemon.DataRoot, "containers", id, "local-logs");
        for (int i = 0; i < 50 && !File.Exists(Path.Combine(dir, "container.log.1.gz")); i++) await Task.Delay(100);
        Assert.True(File.Exists(Path.Combine(dir, "container.log.2.gz")), "local did not rotate and compress (its default)");
        AssertContiguousTo(300, (await Daemon.DockerAsync("logs", id)).EnsureSuccess().Stdout);
        Assert.Equal("line-299\nline-300\n", (await Daemon.BerthAsync("logs", "--tail", "2", id)).EnsureSuccess().Stdout);
        var option = await Daemon.DockerAsync("create", "--log-driver", "local", "--log-opt", "tag=x", "busybox");
        Assert.Contains("unknown log opt 'tag' for log driver local", option.Stderr);
        var count = await Daemon.DockerAsync("run", "--rm", "--log-driver", "local", "--log-opt", "max-file=1", "busybox", "true");
        Assert.Contains("failed to initialize logging driver: compression cannot be enabled when max file count is 1", count.Stderr);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task Delivery_mode_options_are_taken_by_every_driver()
    {
        var run = await Daemon.DockerAsync("run", "--rm", "--log-opt", "mode=non-blocking", "--log-opt", "max-buffer-size=4m", "busybox", "echo", "hi");
        Assert.Equal("hi\n", run.EnsureSuccess().Stdout);
        var mode = await Daemon.DockerAsync("create", "--log-opt", "mode=sometimes", "busybox");
        Assert.Contains("logger: logging mode not supported: sometimes", mode.Stderr);
        var buffer = await Daemon.DockerAsync("create", "--log-driver", "local", "--log-opt", "max-buffer-size=4m", "busybox");
        Assert.Contains("logger: max-buffer-size option is only supported with 'mode=non-blocking'", buffer.Stderr);
    }

    [Fact]
    public async Task The_daemons_log_driver_and_options_apply_to_containers_that_name_none()
    {
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: true, ["--log-driver", "local", "--log-opt", "max-file=2", "--log-opt", "compress=false"]);
        Assert.Equal("local", (await daemon.DockerAsync("info", "--format", "{{.LoggingDriver}}")).EnsureSuccess().Stdout.Trim());
        string id = (await daemon.DockerAsync("run", "-d", "--log-opt", "max-size=3k", "busybox", "sh", "-c", Lines(50))).EnsureSuccess().Stdout.Trim();
        Assert.Equal("0", (await daemon.DockerAsync("wait", id)).EnsureSuccess().Stdout.Trim());
        Assert.Equal("{\"Type\":\"local\",\"Config\":{\"compress\":\"false\",\"max-file\":\"2\",\"max-size\":\"3k\"}}",
            (await daemon.DockerAsync("inspect", "-f", "{{json .HostConfig.LogConfig}}", id)).EnsureSuccess().Stdout.Trim());
        AssertContiguousTo(50, (await daemon.DockerAsync("logs", id)).EnsureSuccess().Stdout);
        // Another driver named by the container gets none of the daemon's options.
        string other = (await daemon.DockerAsync("create", "--log-driver", "json-file", "busybox")).EnsureSuccess().Stdout.Trim();
        Assert.Equal("{\"Type\":\"json-file\",\"Config\":{}}", (await daemon.DockerAsync("inspect", "-f", "{{json .HostConfig.LogConfig}}", other)).EnsureSuccess().Stdout.Trim());
    }
}
