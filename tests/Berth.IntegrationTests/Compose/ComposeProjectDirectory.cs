using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Compose;

/// <summary>
/// A compose project in a directory of its own under the daemon's root, named after the directory so each test has a
/// project of its own, driven by <c>berth compose</c> run inside the directory (file discovery as a user has it).
/// Disposing brings the project down with its volumes.
/// </summary>
internal sealed class ComposeProjectDirectory : IAsyncDisposable
{
    private readonly BerthDaemon _daemon;

    public ComposeProjectDirectory(BerthDaemon daemon, string composeFile, string prefix = "proj")
    {
        _daemon = daemon;
        Name = prefix + Guid.NewGuid().ToString("N")[..8];
        Path = System.IO.Path.Combine(daemon.Root, Name);
        Directory.CreateDirectory(Path);
        Write("compose.yaml", composeFile);
    }

    public string Name { get; }
    public string Path { get; }

    public ComposeProjectDirectory Write(string relative, string content)
    {
        string file = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return this;
    }

    public Task<CommandResult> ComposeAsync(params string[] args) => ComposeWithEnvAsync(new Dictionary<string, string>(), args);

    public Task<CommandResult> ComposeWithEnvAsync(IDictionary<string, string> env, params string[] args)
    {
        var all = _daemon.Env;
        foreach (var (key, value) in env)
            all[key] = value;
        return Commands.RunAsync(BerthBinaries.Cli, ["compose", .. args], all, timeout: TimeSpan.FromMinutes(2), workingDirectory: Path);
    }

    /// <summary>The project's container names as the docker CLI lists them, sorted.</summary>
    public async Task<string[]> ContainerNamesAsync()
    {
        var ps = (await _daemon.DockerAsync("ps", "-a", "--filter", $"label=com.docker.compose.project={Name}", "--format", "{{.Names}}")).EnsureSuccess();
        return [.. ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }

    public async ValueTask DisposeAsync()
    {
        await ComposeAsync("down", "-v", "-t", "0", "--remove-orphans");
        Directory.Delete(Path, recursive: true);
    }
}
