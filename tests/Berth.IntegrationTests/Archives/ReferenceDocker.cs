using Berth.IntegrationTests.Layers;

namespace Berth.IntegrationTests.Archives;

/// <summary>
/// The shared reference dockerd (20.10) through the docker CLI. Started if needed, never stopped: other
/// sessions use it too. Tests remove the images they create.
/// </summary>
internal static class ReferenceDocker
{
    private const string Socket = "unix:///tmp/reference-dockerd/docker.sock";
    private static readonly SemaphoreSlim Started = new(1, 1);
    private static bool _running;

    public static async Task EnsureStartedAsync()
    {
        await Started.WaitAsync();
        try
        {
            if (_running) return;
            // shared/ lies beside the checkout (CI clones elsewhere); /work/shared is where developers have it.
            string script = new[]
            {
                Path.Combine(Berth.IntegrationTests.Infrastructure.BerthBinaries.RepoRoot, "..", "shared", "tools", "reference-dockerd"),
                "/work/shared/tools/reference-dockerd",
            }.First(File.Exists);
            var (code, _, stderr) = await Shell.RunAsync(script, ["start"], timeout: TimeSpan.FromMinutes(5));
            if (code != 0) throw new InvalidOperationException("reference dockerd did not start: " + stderr);
            _running = true;
        }
        finally
        {
            Started.Release();
        }
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        await EnsureStartedAsync();
        return await Shell.RunAsync("docker", arguments, new Dictionary<string, string> { ["DOCKER_HOST"] = Socket }, TimeSpan.FromMinutes(3));
    }

    public static async Task<string> CheckAsync(params string[] arguments)
    {
        var (code, stdout, stderr) = await RunAsync(arguments);
        if (code != 0) throw new InvalidOperationException($"docker {string.Join(' ', arguments)} exited {code}: {stderr}");
        return stdout;
    }
}
