namespace Berth.Cli;

/// <summary>The CLI's own version as `berth version` and `berth -v` print it.</summary>
public static class BuildInfo
{
    public const string Version = "0.1.0";
    public const string GitCommit = "dev";
}
