using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Cli;

/// <summary>
/// Docker contexts shared between berth and the real docker CLI: both read and write the same store in a temporary
/// config directory, and a context made by one reaches a test berthd through the other.
/// </summary>
public sealed class ContextTests : IAsyncLifetime
{
    private BerthDaemon? _daemon;
    private readonly string _home = Directory.CreateTempSubdirectory("berth-context-it-").FullName;

    private BerthDaemon Daemon => _daemon ?? throw new InvalidOperationException("daemon not started");

    public async Task InitializeAsync()
    {
        if (CliTarget.SkipReason is null)
            _daemon = await BerthDaemon.StartAsync(withBusybox: false);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
            await _daemon.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    /// <summary>No host variable: the context decides (the fixture's usual environment names the daemon directly).</summary>
    private Dictionary<string, string> Environment(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string> { ["HOME"] = _home, ["DOCKER_CONFIG"] = Path.Combine(_home, ".docker"), ["DOCKER_HOST"] = "", ["BERTH_HOST"] = "" };
        foreach (var (key, value) in extra)
            env[key] = value;
        return env;
    }

    private Task<CommandResult> Berth(params string[] args) => Commands.RunAsync(CliTarget.BerthPath!, args, Environment());

    private Task<CommandResult> Docker(params string[] args) => Commands.RunAsync(BerthBinaries.DockerCli, args, Environment());

    [CliFact]
    public async Task A_context_created_by_docker_is_used_by_berth()
    {
        (await Docker("context", "create", "made-by-docker", "--docker", "host=" + Daemon.Host, "--description", "test daemon")).EnsureSuccess();
        var use = await Berth("context", "use", "made-by-docker");
        Assert.Equal((0, "made-by-docker\n", "Current context is now \"made-by-docker\"\n"), (use.ExitCode, use.Stdout, use.Stderr));
        Assert.Equal("made-by-docker\n", (await Docker("context", "show")).Stdout);

        var volume = CliTarget.UniqueName("ctxvol");
        (await Berth("volume", "create", volume)).EnsureSuccess();
        Assert.Contains(volume, (await Commands.RunAsync(BerthBinaries.DockerCli, ["volume", "ls", "-q"], Daemon.Env)).Stdout);

        // Every row but the default context's (whose endpoint is each client's own default socket) is the same.
        var dockerRows = (await Docker("context", "ls", "--format", "json")).Stdout.Split('\n').Where(l => !l.Contains("\"Name\":\"default\"")).ToList();
        var berthRows = (await Berth("context", "ls", "--format", "json")).Stdout.Split('\n').Where(l => !l.Contains("\"Name\":\"default\"")).ToList();
        Assert.Equal(dockerRows, berthRows);
        Assert.Equal((await Docker("context", "inspect", "made-by-docker")).Stdout, (await Berth("context", "inspect", "made-by-docker")).Stdout);
    }

    [CliFact]
    public async Task A_context_created_by_berth_is_used_by_docker_and_removed_as_docker_removes()
    {
        var create = await Berth("context", "create", "made-by-berth", "--docker", "host=" + Daemon.Host);
        Assert.Equal((0, "made-by-berth\n", "Successfully created context \"made-by-berth\"\n"), (create.ExitCode, create.Stdout, create.Stderr));
        (await Docker("context", "use", "made-by-berth")).EnsureSuccess();
        Assert.Equal("made-by-berth\n", (await Berth("context", "show")).Stdout);
        Assert.Equal(0, (await Docker("volume", "ls")).ExitCode);
        Assert.Equal((await Docker("context", "ls", "-q")).Stdout, (await Berth("context", "ls", "-q")).Stdout);

        var dockerRefusal = await Docker("context", "rm", "made-by-berth");
        var berthRefusal = await Berth("context", "rm", "made-by-berth");
        Assert.Equal((dockerRefusal.ExitCode, dockerRefusal.Stderr), (berthRefusal.ExitCode, berthRefusal.Stderr));
        Assert.Equal("made-by-berth\n", (await Berth("context", "rm", "-f", "made-by-berth")).Stdout);
        Assert.Equal("default\n", (await Docker("context", "show")).Stdout);
        Assert.DoesNotContain("made-by-berth", (await Docker("context", "ls", "-q")).Stdout);

        var dockerMissing = await Docker("context", "rm", "made-by-berth");
        var berthMissing = await Berth("context", "rm", "made-by-berth");
        Assert.Equal((dockerMissing.ExitCode, dockerMissing.Stderr), (berthMissing.ExitCode, berthMissing.Stderr));
        var dockerUnknown = await Docker("context", "use", "no-such-context");
        var berthUnknown = await Berth("context", "use", "no-such-context");
        Assert.Equal((dockerUnknown.ExitCode, dockerUnknown.Stderr), (berthUnknown.ExitCode, berthUnknown.Stderr));
    }

    [CliFact]
    public async Task DOCKER_HOST_beats_the_current_context_and_the_context_flag_beats_DOCKER_HOST()
    {
        (await Berth("context", "create", "good", "--docker", "host=" + Daemon.Host)).EnsureSuccess();
        (await Berth("context", "use", "good")).EnsureSuccess();
        var unreachable = "unix://" + Path.Combine(_home, "nobody-listens.sock");

        var overridden = await Commands.RunAsync(CliTarget.BerthPath!, ["volume", "ls", "-q"], Environment(("DOCKER_HOST", unreachable)));
        Assert.NotEqual(0, overridden.ExitCode);
        Assert.Contains("nobody-listens.sock", overridden.Stderr);
        var berthHost = await Commands.RunAsync(CliTarget.BerthPath!, ["volume", "ls", "-q"], Environment(("BERTH_HOST", unreachable)));
        Assert.NotEqual(0, berthHost.ExitCode);

        var byFlag = await Commands.RunAsync(CliTarget.BerthPath!, ["--context", "good", "volume", "ls", "-q"], Environment(("DOCKER_HOST", unreachable)));
        Assert.Equal(0, byFlag.ExitCode);

        (await Berth("context", "use", "default")).EnsureSuccess();
        var byVariable = await Commands.RunAsync(CliTarget.BerthPath!, ["volume", "ls", "-q"], Environment(("DOCKER_CONTEXT", "good")));
        Assert.Equal(0, byVariable.ExitCode);

        var warnDocker = await Commands.RunAsync(BerthBinaries.DockerCli, ["context", "use", "good"], Environment(("DOCKER_HOST", unreachable)));
        var warnBerth = await Commands.RunAsync(CliTarget.BerthPath!, ["context", "use", "good"], Environment(("DOCKER_HOST", unreachable)));
        Assert.Equal((warnDocker.ExitCode, warnDocker.Stdout, warnDocker.Stderr), (warnBerth.ExitCode, warnBerth.Stdout, warnBerth.Stderr));
    }

    [CliFact]
    public async Task Builder_prune_prints_what_docker_prints()
    {
        var docker = await Commands.RunAsync(BerthBinaries.DockerCli, ["builder", "prune", "-f"], Daemon.Env);
        var berth = await Daemon.BerthAsync("builder", "prune", "-f");
        Assert.Equal((docker.ExitCode, docker.Stdout), (berth.ExitCode, berth.Stdout));
        Assert.Equal("Total reclaimed space: 0B\n", berth.Stdout);

        var dockerDeclined = await Commands.RunAsync(BerthBinaries.DockerCli, ["builder", "prune", "-a"], Daemon.Env, stdin: "n\n");
        var berthDeclined = await Daemon.BerthWithInputAsync("n\n", "builder", "prune", "-a");
        Assert.Equal((dockerDeclined.ExitCode, dockerDeclined.Stdout), (berthDeclined.ExitCode, berthDeclined.Stdout));
    }
}
