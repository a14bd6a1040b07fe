namespace Berth.Daemon;

/// <summary>What berthd says about itself in /version and headers.</summary>
public static class DaemonInfo
{
    /// <summary>The Docker Engine version whose API behaviour Berth matches.</summary>
    public const string Version = "28.2.2";
    public const string BerthVersion = "0.1.0";
    public const string GitCommit = "berth";
}
