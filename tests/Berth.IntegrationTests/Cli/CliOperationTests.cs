namespace Berth.IntegrationTests.Cli;

/// <summary>berth diff, commit, top, pause and unpause beside docker's, on the same daemon.</summary>
public sealed class CliOperationTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    private CliTarget Cli => fixture.Target;

    [CliFact]
    public async Task Diff_commit_top_and_pause_print_what_docker_prints()
    {
        string name = CliTarget.UniqueName("ops");
        string image = CliTarget.UniqueName("ops-image") + ":1";
        try
        {
            Assert.Equal(0, (await Cli.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "echo x > /new; rm /etc/group; sleep 600")).ExitCode);
            for (int attempt = 0; attempt < 50 && !(await Cli.DockerAsync("diff", name)).Stdout.Contains("/new"); attempt++)
                await Task.Delay(100);

            var dockerDiff = await Cli.DockerAsync("diff", name);
            var berthDiff = await Cli.BerthAsync("diff", name);
            Assert.Equal(dockerDiff.Stdout, berthDiff.Stdout);
            Assert.Contains("A /new", berthDiff.Stdout);

            var dockerTop = await Cli.DockerAsync("top", name, "-o", "pid,comm");
            var berthTop = await Cli.BerthAsync("top", name, "-o", "pid,comm");
            Assert.Equal(dockerTop.Stdout, berthTop.Stdout);

            var commit = await Cli.BerthAsync("commit", "-m", "from berth", "-c", "CMD [\"cat\", \"/new\"]", name, image);
            Assert.Matches("^sha256:[0-9a-f]{64}\n$", commit.Stdout);
            Assert.Equal("x\n", (await Cli.BerthAsync("run", "--rm", image)).Stdout);

            var paused = await Cli.BerthAsync("pause", name);
            Assert.Equal(name + "\n", paused.Stdout);
            Assert.Equal("true\n", (await Cli.DockerAsync("inspect", "-f", "{{.State.Paused}}", name)).Stdout);
            var pausedAgain = await Cli.BerthAsync("pause", name);
            Assert.Equal(CliTarget.AsBerth((await Cli.DockerAsync("pause", name)).Stderr), pausedAgain.Stderr);
            Assert.Equal(name + "\n", (await Cli.BerthAsync("unpause", name)).Stdout);
            Assert.Equal("false\n", (await Cli.DockerAsync("inspect", "-f", "{{.State.Paused}}", name)).Stdout);

            var missing = await Cli.BerthAsync("diff", "berth-cli-no-such-container");
            Assert.Equal(CliTarget.AsBerth((await Cli.DockerAsync("diff", "berth-cli-no-such-container")).Stderr), missing.Stderr);
        }
        finally
        {
            await Cli.DockerAsync("rm", "-f", name);
            await Cli.DockerAsync("rmi", image);
        }
    }
}
