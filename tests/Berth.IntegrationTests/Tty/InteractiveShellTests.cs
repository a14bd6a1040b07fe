using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Tty;

/// <summary>
/// An interactive shell driven through a real terminal (tmux): docker run -it, type and read, window size and
/// resize, detach with ctrl-p ctrl-q, attach again, exit; the same for docker exec -it and berth.
/// </summary>
public sealed class InteractiveShellTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData("docker")]
    [InlineData("berth")]
    public async Task Run_it_types_resizes_detaches_and_attaches_again(string cli)
    {
        string name = "tty-" + Guid.NewGuid().ToString("N")[..8];
        string program = cli == "docker" ? BerthBinaries.DockerCli : BerthBinaries.Cli;
        await using (var terminal = await TmuxTerminal.StartAsync(Daemon, program, ["run", "-it", "--name", name, "busybox", "sh"], 100, 30))
        {
            await terminal.TypeAsync("echo sum-$((40+2))");
            await terminal.WaitForAsync("sum-42");
            await terminal.TypeAsync("stty size");
            await terminal.WaitForAsync("30 100");
            await terminal.ResizeAsync(120, 40);
            await Task.Delay(300);
            await terminal.TypeAsync("stty size");
            await terminal.WaitForAsync("40 120");

            await terminal.KeysAsync("C-p", "C-q");
            Assert.True(await terminal.WaitForExitAsync(), "the client did not detach");
            Assert.Equal(0, await terminal.ExitStatusAsync());
        }
        Assert.Equal("true", (await Daemon.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout.Trim());

        await using (var terminal = await TmuxTerminal.StartAsync(Daemon, program, ["attach", name], 100, 30))
        {
            await Task.Delay(300);
            await terminal.TypeAsync("echo again-$((1+1))");
            await terminal.WaitForAsync("again-2");
            await terminal.TypeAsync("exit 5");
            Assert.True(await terminal.WaitForExitAsync(), "attach did not end with the container");
        }
        Assert.Equal("exited 5", (await Daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name)).Stdout.Trim());
        var logs = await Daemon.DockerAsync("logs", name);
        Assert.Contains("sum-42", logs.Stdout);
        Assert.Contains("again-2", logs.Stdout);
    }

    [Theory]
    [InlineData("docker")]
    [InlineData("berth")]
    public async Task Exec_it_runs_a_shell_with_the_terminals_size(string cli)
    {
        string name = "ttyx-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300")).EnsureSuccess();
        string program = cli == "docker" ? BerthBinaries.DockerCli : BerthBinaries.Cli;
        await using var terminal = await TmuxTerminal.StartAsync(Daemon, program, ["exec", "-it", name, "sh"], 90, 25);

        await terminal.TypeAsync("echo in-$((6*7)); stty size");
        await terminal.WaitForAsync("in-42");
        await terminal.WaitForAsync("25 90");
        await terminal.ResizeAsync(110, 35);
        await Task.Delay(300);
        await terminal.TypeAsync("stty size");
        await terminal.WaitForAsync("35 110");
        await terminal.TypeAsync("exit 7");

        Assert.True(await terminal.WaitForExitAsync());
        Assert.Equal(7, await terminal.ExitStatusAsync());
        Assert.Equal("true", (await Daemon.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout.Trim());
    }

    [Fact]
    public async Task Two_clients_attached_at_once_both_see_the_output()
    {
        string name = "tty2-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("run", "-dit", "--name", name, "busybox", "sh")).EnsureSuccess();
        await using var first = await TmuxTerminal.StartAsync(Daemon, BerthBinaries.DockerCli, ["attach", name]);
        await using var second = await TmuxTerminal.StartAsync(Daemon, BerthBinaries.DockerCli, ["attach", name]);
        await Task.Delay(500);

        await first.TypeAsync("echo shared-$((2+3))");

        await first.WaitForAsync("shared-5");
        await second.WaitForAsync("shared-5");
        await second.KeysAsync("C-p", "C-q");
        Assert.True(await second.WaitForExitAsync());
        Assert.Equal("true", (await Daemon.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout.Trim());
    }
}
