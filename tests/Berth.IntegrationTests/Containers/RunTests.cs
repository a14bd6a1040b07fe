using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>docker run against berthd: output, exit codes, stdin, identity and environment inside the container.</summary>
public sealed class RunTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Echo_prints_to_stdout()
    {
        var result = await Daemon.DockerAsync("run", "--rm", "busybox", "echo", "hello");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello\n", result.Stdout);
    }

    [Fact]
    public async Task Exit_code_reaches_the_cli()
    {
        var result = await Daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", "exit 3");
        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public async Task Stdout_and_stderr_stay_separate()
    {
        var result = await Daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2");
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
    }

    [Fact]
    public async Task Stdin_flows_with_i()
    {
        var result = await Daemon.DockerWithInputAsync("line one\nline two\n", "run", "--rm", "-i", "busybox", "wc", "-l");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2", result.Stdout.Trim());
    }

    [Fact]
    public async Task The_command_is_pid_1()
    {
        var result = await Daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", "echo $$");
        Assert.Equal("1\n", result.Stdout);
    }

    [Fact]
    public async Task Hostname_env_workdir_and_user_apply()
    {
        var result = await Daemon.DockerAsync("run", "--rm", "-h", "box", "-e", "GREETING=hi", "-w", "/tmp", "-u", "nobody",
            "busybox", "sh", "-c", "echo $(hostname) $GREETING $(pwd) $(id -u):$(id -g)");
        Assert.Equal("box hi /tmp 65534:65534\n", result.Stdout);
    }

    [Fact]
    public async Task Numeric_user_and_group_apply()
    {
        var result = await Daemon.DockerAsync("run", "--rm", "-u", "1000:1001", "busybox", "id");
        Assert.StartsWith("uid=1000 gid=1001", result.Stdout);
    }

    [Fact]
    public async Task Entrypoint_override_takes_the_command_as_arguments()
    {
        var result = await Daemon.DockerAsync("run", "--rm", "--entrypoint", "echo", "busybox", "via", "entrypoint");
        Assert.Equal("via entrypoint\n", result.Stdout);
    }

    [Fact]
    public async Task Unknown_user_fails_the_start()
    {
        var result = await Daemon.DockerAsync("run", "--rm", "-u", "nosuchuser", "busybox", "true");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unable to find user nosuchuser", result.Stderr);
    }

    [Fact]
    public async Task Missing_command_fails_with_127()
    {
        var result = await Daemon.DockerAsync("run", "--rm", "busybox", "/nonexistent");
        Assert.Equal(127, result.ExitCode);
    }

    [Fact]
    public async Task A_file_written_in_one_container_is_seen_neither_in_another_nor_on_the_host()
    {
        string marker = "/berth-isolation-" + Guid.NewGuid().ToString("N");
        var write = await Daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", $"echo x > {marker} && cat {marker}");
        Assert.Equal("x\n", write.Stdout);
        Assert.False(File.Exists(marker));
        var read = await Daemon.DockerAsync("run", "--rm", "busybox", "test", "-e", marker);
        Assert.Equal(1, read.ExitCode);
    }
}
