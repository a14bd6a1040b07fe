namespace Berth.Registry.Tests.Infrastructure;

/// <summary>The shared reference dockerd (20.10), started if needed and never stopped; it treats 127.0.0.1:PORT as insecure.</summary>
public static class ReferenceDocker
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _started;

    public static string Tool
    {
        get
        {
            foreach (var candidate in new[] { "/work/shared/tools/reference-dockerd", Path.Combine(RepoPaths.RepositoryRoot, "..", "shared", "tools", "reference-dockerd") })
                if (File.Exists(candidate)) return candidate;
            throw new Xunit.Sdk.XunitException("the reference dockerd tool (shared/tools/reference-dockerd) is not on this machine");
        }
    }

    public static readonly Dictionary<string, string> Environment = new() { ["DOCKER_HOST"] = "unix:///tmp/reference-dockerd/docker.sock" };

    public static async Task EnsureStartedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_started) return;
            (await Infrastructure.Tool.RunAsync(Tool, ["start"], TimeSpan.FromSeconds(120))).EnsureSuccess("reference-dockerd start");
            _started = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static Task<ToolResult> Docker(params string[] args) => Infrastructure.Tool.RunAsync("docker", args, TimeSpan.FromSeconds(180), Environment);
}
