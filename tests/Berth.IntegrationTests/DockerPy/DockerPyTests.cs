using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.DockerPy;

/// <summary>
/// docker-py (Debian's python3-docker) against berthd: each script drives one area through the library as its users
/// do and prints "ok NAME" per check; the test passes when the script ends with "all ok".
/// </summary>
public sealed class DockerPyTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    [Fact]
    public Task Exec_attach_socket_archives_and_commit() => RunAsync("interactive.py");

    [Fact]
    public Task Builds_from_a_directory_and_a_gzipped_tar() => RunAsync("build.py");

    [Fact]
    public Task Runs_swarm_services_on_one_node() => RunAsync("swarm.py");

    [Fact]
    public Task Keeps_swarm_secrets_and_configs_and_gives_them_to_tasks() => RunAsync("secrets.py");

    private async Task RunAsync(string script)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "DockerPy", script);
        var result = await Commands.RunAsync("python3", [path], fixture.Daemon.Env, timeout: TimeSpan.FromSeconds(180));
        Assert.True(result.ExitCode == 0 && result.Stdout.EndsWith("all ok\n", StringComparison.Ordinal),
            $"{script} failed (exit {result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
    }
}
