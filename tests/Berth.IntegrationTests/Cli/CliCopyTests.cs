using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Cli;

/// <summary>
/// berth cp beside docker cp on the same daemon: each case runs with both CLIs into twin destinations, and the trees
/// they leave (names, types, modes, contents, link targets), exit codes and messages must be the same.
/// </summary>
public sealed class CliCopyTests(CliFixture fixture) : IClassFixture<CliFixture>, IDisposable
{
    private const string Setup = "mkdir -p /d/sub /t && echo hi > /d/a && echo x > /d/sub/b && ln -s /d/a /d/link && ln -s a /d/rel && touch /t/file && sleep 600";
    private readonly string _work = Directory.CreateTempSubdirectory("berth-cli-cp-").FullName;

    private CliTarget Cli => fixture.Target;

    public static TheoryData<string, string> FromContainer => new()
    {
        { "/d/a", "." }, { "/d/a", "new" }, { "/d", "newdir" }, { "/d/.", "contents" }, { "/d", "existing" },
        { "/d/a", "existing" }, { "/d/a", "missing/x" }, { "/d/nope", "x" }, { "/d/link", "l1" }, { "-L /d/link", "l2" },
        { "-L /d/rel", "l3" }, { "/d", "file" }, { "/d/a", "dirx/" }, { "/d/sub/", "subdir" },
    };

    public static TheoryData<string, string> ToContainer => new()
    {
        { "src/f", "/t/" }, { "src/f", "/t/renamed" }, { "src", "/t/newsrc" }, { "src", "/t" }, { "src/.", "/t" },
        { "src/lnk", "/t/l2" }, { "-L src/lnk", "/t/l3" }, { "src/f", "/nodir/x" }, { "src/f", "/t/file/x" },
        { "src", "/t/file" }, { "src/f", "/t/newdir/" }, { "src/nope", "/t" }, { "src/f", "/t/file" },
    };

    [CliTheory]
    [MemberData(nameof(FromContainer))]
    public async Task Copies_out_of_a_container_land_where_dockers_do(string source, string destination)
    {
        string container = await StartAsync();
        try
        {
            var results = new Dictionary<string, (CommandResult Result, string Tree)>();
            foreach (var cli in new[] { "docker", "berth" })
            {
                string root = Path.Combine(_work, cli);
                Directory.CreateDirectory(Path.Combine(root, "existing"));
                await File.WriteAllTextAsync(Path.Combine(root, "file"), "old\n");
                var args = Args(source, container + ":", destination);
                var result = cli == "docker" ? await Commands.RunAsync(BerthBinaries.DockerCli, args, Env(), workingDirectory: root) : await Commands.RunAsync(CliTarget.BerthPath!, args, Env(), workingDirectory: root);
                results[cli] = (result, Tree(root));
            }
            AssertSame(results["docker"], results["berth"]);
        }
        finally
        {
            await Cli.DockerAsync("rm", "-f", container);
        }
    }

    [CliTheory]
    [MemberData(nameof(ToContainer))]
    public async Task Copies_into_a_container_land_where_dockers_do(string source, string destination)
    {
        string local = Path.Combine(_work, "local");
        Directory.CreateDirectory(Path.Combine(local, "src", "sub"));
        await File.WriteAllTextAsync(Path.Combine(local, "src", "f"), "1\n");
        await File.WriteAllTextAsync(Path.Combine(local, "src", "sub", "g"), "2\n");
        File.SetUnixFileMode(Path.Combine(local, "src", "f"), (UnixFileMode)Convert.ToInt32("751", 8));
        File.CreateSymbolicLink(Path.Combine(local, "src", "lnk"), "f");
        var results = new Dictionary<string, (CommandResult Result, string Tree)>();
        var containers = new List<string>();
        try
        {
            foreach (var cli in new[] { "docker", "berth" })
            {
                string container = await StartAsync();
                containers.Add(container);
                string[] args = source.StartsWith("-L ", StringComparison.Ordinal)
                    ? ["cp", "-L", source[3..], container + ":" + destination]
                    : ["cp", source, container + ":" + destination];
                var result = cli == "docker" ? await Commands.RunAsync(BerthBinaries.DockerCli, args, Env(), workingDirectory: local) : await Commands.RunAsync(CliTarget.BerthPath!, args, Env(), workingDirectory: local);
                var tree = await Cli.DockerAsync("exec", container, "sh", "-c", "cd /t && find . | sort | while read -r p; do stat -c '%n %F %a %s' \"$p\"; [ -L \"$p\" ] && readlink \"$p\"; [ -f \"$p\" ] && [ ! -L \"$p\" ] && cat \"$p\"; done");
                results[cli] = (result, tree.Stdout.Replace(container, "C"));
            }
            AssertSame(results["docker"], results["berth"], containers);
        }
        finally
        {
            foreach (var container in containers) await Cli.DockerAsync("rm", "-f", container);
        }
    }

    [CliFact]
    public async Task Tar_streams_go_both_ways_through_dash()
    {
        string container = await StartAsync();
        try
        {
            var docker = await Commands.RunAsync(BerthBinaries.DockerCli, ["cp", container + ":/d", "-"], Env(), workingDirectory: _work);
            var berth = await Commands.RunAsync(CliTarget.BerthPath!, ["cp", container + ":/d", "-"], Env(), workingDirectory: _work);
            Assert.Equal(0, berth.ExitCode);
            Assert.Equal(docker.Stdout.Length, berth.Stdout.Length);

            string tar = Path.Combine(_work, "in.tar");
            string staged = Path.Combine(_work, "staged");
            Directory.CreateDirectory(staged);
            await File.WriteAllTextAsync(Path.Combine(staged, "fromtar"), "tarred\n");
            (await Commands.RunAsync("tar", ["-C", staged, "-cf", tar, "fromtar"], null, workingDirectory: _work)).EnsureSuccess();
            var fed = await Commands.RunAsync("sh", ["-c", $"{CliTarget.BerthPath} cp - {container}:/t < {tar}"], Env(), workingDirectory: _work);
            Assert.Equal(0, fed.ExitCode);
            Assert.Equal("tarred\n", (await Cli.DockerAsync("exec", container, "cat", "/t/fromtar")).Stdout);
            var notDirectory = await Commands.RunAsync("sh", ["-c", $"{CliTarget.BerthPath} cp - {container}:/t/file < {tar}"], Env(), workingDirectory: _work);
            Assert.Equal($"destination \"{container}:/t/file\" must be a directory\n", notDirectory.Stderr);
        }
        finally
        {
            await Cli.DockerAsync("rm", "-f", container);
        }
    }

    private static string[] Args(string source, string prefix, string destination) =>
        source.StartsWith("-L ", StringComparison.Ordinal) ? ["cp", "-L", prefix + source[3..], destination] : ["cp", prefix + source, destination];

    private Dictionary<string, string> Env() => new() { ["DOCKER_HOST"] = Cli.Host };

    private async Task<string> StartAsync()
    {
        string name = CliTarget.UniqueName("cp");
        (await Cli.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c", Setup)).EnsureSuccess();
        for (int i = 0; i < 100 && (await Cli.DockerAsync("exec", name, "test", "-e", "/t/file")).ExitCode != 0; i++) await Task.Delay(50);
        return name;
    }

    private static void AssertSame((CommandResult Result, string Tree) docker, (CommandResult Result, string Tree) berth, List<string>? containers = null)
    {
        // docker's tar goroutine sometimes logs its broken pipe (time="..." level=error ...) before the real error.
        string Clean(string text) => (containers ?? []).Aggregate(
            string.Concat(text.Split('\n').Where(line => !line.StartsWith("time=\"", StringComparison.Ordinal)).Select(line => line + "\n")).TrimEnd('\n') + "\n",
            (t, c) => t.Replace(c, "C", StringComparison.Ordinal));
        Assert.Equal(docker.Result.ExitCode, berth.Result.ExitCode);
        Assert.Equal(CliTarget.AsBerth(Clean(docker.Result.Stderr)).Replace("/docker/", "/berth/", StringComparison.Ordinal), Clean(berth.Result.Stderr));
        Assert.Equal(docker.Tree, berth.Tree);
    }

    /// <summary>A canonical listing of a local tree: path, type, permissions, and contents or link target.</summary>
    private static string Tree(string root)
    {
        var lines = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            string relative = Path.GetRelativePath(root, path);
            if (info.LinkTarget is not null)
            {
                lines.Add($"{relative} link {info.LinkTarget}");
                continue;
            }
            string kind = Directory.Exists(path) ? "dir" : "file " + File.ReadAllText(path);
            lines.Add($"{relative} {Convert.ToString((int)File.GetUnixFileMode(path), 8)} {kind}");
        }
        return string.Join('\n', lines);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
