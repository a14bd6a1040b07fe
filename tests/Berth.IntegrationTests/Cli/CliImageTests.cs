namespace Berth.IntegrationTests.Cli;

/// <summary>berth's image commands beside docker's, on the same daemon.</summary>
public sealed class CliImageTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    private CliTarget Cli => fixture.Target;

    [CliFact]
    public async Task Images_and_history_match_docker()
    {
        foreach (var args in new[]
                 {
                     new[] { "images" },
                     ["images", "busybox"],
                     ["images", "--digests", "busybox"],
                     ["images", "--no-trunc", "-f", "reference=busybox"],
                     ["image", "ls", "-a"],
                     ["history", "busybox"],
                     ["history", "--no-trunc", "-H=false", "busybox"],
                 })
        {
            var docker = await Cli.DockerAsync(args);
            var berth = await Cli.BerthAsync(args);
            Assert.Equal(0, berth.ExitCode);
            Assert.Equal(CliTarget.Cells(docker.Stdout), CliTarget.Cells(berth.Stdout));
        }
        string[] quiet = ["images", "-q", "busybox"];
        Assert.Equal(CliTarget.Cells((await Cli.DockerAsync(quiet)).Stdout), CliTarget.Cells((await Cli.BerthAsync(quiet)).Stdout));
        string[] custom = ["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}", "busybox"];
        Assert.Equal(CliTarget.Cells((await Cli.DockerAsync(custom)).Stdout), CliTarget.Cells((await Cli.BerthAsync(custom)).Stdout));
        string[] json = ["images", "--format", "json", "busybox"];
        Assert.Equal(CliTarget.Cells((await Cli.DockerAsync(json)).Stdout), CliTarget.Cells((await Cli.BerthAsync(json)).Stdout));
        string[] inspect = ["image", "inspect", "busybox"];
        Assert.Equal((await Cli.DockerAsync(inspect)).Stdout, (await Cli.BerthAsync(inspect)).Stdout);
    }

    [CliFact]
    public async Task Tag_save_load_and_rmi_round_trip()
    {
        var tag = CliTarget.UniqueName("tag") + ":v1";
        var archive = Path.Combine(Path.GetTempPath(), CliTarget.UniqueName("save") + ".tar");
        try
        {
            Assert.Equal(0, (await Cli.BerthAsync("tag", "busybox", tag)).ExitCode);
            Assert.Equal(0, (await Cli.BerthAsync("save", "-o", archive, tag)).ExitCode);
            Assert.True(new FileInfo(archive).Length > 100_000);
            var rmi = await Cli.BerthAsync("rmi", tag);
            Assert.Equal($"Untagged: {tag}\n", rmi.Stdout);
            var load = await Cli.BerthAsync("load", "-i", archive);
            Assert.Equal(0, load.ExitCode);
            Assert.Equal($"Loaded image: {tag}\n", load.Stdout);
            var rmiAgain = await Cli.BerthAsync("rmi", tag);
            Assert.Equal((await Cli.DockerAsync("rmi", tag)).Stderr, "Error response from daemon: No such image: " + tag + "\n");
            Assert.Equal($"Untagged: {tag}\n", rmiAgain.Stdout);
        }
        finally
        {
            File.Delete(archive);
            await Cli.DockerAsync("rmi", tag);
        }
    }

    [CliFact]
    public async Task Export_then_import_with_changes_makes_a_runnable_image()
    {
        var name = CliTarget.UniqueName("export");
        var image = CliTarget.UniqueName("imported") + ":1";
        var archive = Path.Combine(Path.GetTempPath(), name + ".tar");
        try
        {
            Assert.Equal(0, (await Cli.BerthAsync("run", "--name", name, "busybox", "sh", "-c", "echo kept > /marker")).ExitCode);
            Assert.Equal(0, (await Cli.BerthAsync("export", "-o", archive, name)).ExitCode);
            var import = await Cli.BerthAsync("import", "-c", "CMD [\"cat\", \"/marker\"]", "-m", "from berth", archive, image);
            Assert.Equal(0, import.ExitCode);
            Assert.Matches("^sha256:[0-9a-f]{64}\n$", import.Stdout);
            var run = await Cli.BerthAsync("run", "--rm", image);
            Assert.Equal("kept\n", run.Stdout);
            var history = await Cli.BerthAsync("history", "--format", "{{.Comment}}", image);
            Assert.Equal("from berth\n", history.Stdout);
        }
        finally
        {
            File.Delete(archive);
            await Cli.DockerAsync("rm", "-f", name);
            await Cli.DockerAsync("rmi", image);
        }
    }

    [CliFact]
    public async Task Events_print_as_docker_prints_them()
    {
        var name = CliTarget.UniqueName("events");
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString();
        try
        {
            Assert.Equal(0, (await Cli.BerthAsync("run", "--name", name, "busybox", "true")).ExitCode);
            var until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
            await Task.Delay(1100);
            string[] args = ["events", "--since", since, "--until", until, "--filter", $"container={name}"];
            var docker = await Cli.DockerAsync(args);
            var berth = await Cli.BerthAsync(args);
            Assert.Equal(0, berth.ExitCode);
            Assert.Equal(docker.Stdout, berth.Stdout);
            Assert.Contains(" container start ", berth.Stdout);
            string[] formatted = [.. args, "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}"];
            Assert.Equal((await Cli.DockerAsync(formatted)).Stdout, (await Cli.BerthAsync(formatted)).Stdout);
        }
        finally
        {
            await Cli.DockerAsync("rm", "-f", name);
        }
    }
}
