namespace Berth.IntegrationTests.Infrastructure;

/// <summary>Where the NativeAOT programs under test are: $BERTH_BIN_DIR (test.sh sets it), else the repo's out/bin.</summary>
public static class BerthBinaries
{
    public static string Dir { get; } = Environment.GetEnvironmentVariable("BERTH_BIN_DIR") is { Length: > 0 } dir
        ? dir
        : Path.Combine(RepoRoot, "out", "bin");

    public static string Daemon => Path.Combine(Dir, "berthd");
    public static string Cli => Path.Combine(Dir, "berth");
    public static string Shim => Path.Combine(Dir, "berth-shim");
    public const string DockerCli = "/usr/local/bin/docker";

    /// <summary>A Docker volume plugin for tests (tests/Berth.TestPlugin); test.sh publishes it into out/test.</summary>
    public static string TestPlugin => Path.Combine(RepoRoot, "out", "test", "berth-test-plugin");

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root");
        }
    }
}
