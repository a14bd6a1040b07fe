namespace Berth.Daemon.Hosting;

/// <summary>berthd's settings for the default bridge and container networking (daemon.json keys and flags of dockerd's).</summary>
public sealed partial class DaemonOptions
{
    /// <summary>Applies one networking key or flag; false when <paramref name="name"/> is not one of them.</summary>
    private bool ApplyBridgeOption(string name, List<string> values) => false;
}
