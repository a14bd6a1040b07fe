using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>Logging drivers through the docker CLI: json-file with max-size/max-file rotation, and none.</summary>
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
}
