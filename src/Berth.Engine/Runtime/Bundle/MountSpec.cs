namespace Berth.Engine.Runtime.Bundle;

/// <summary>A bind (host path or a volume's data directory) or a tmpfs mount into the container.</summary>
public sealed record MountSpec
{
    /// <summary>"bind" or "tmpfs".</summary>
    public string Type { get; init; } = "bind";
    /// <summary>Host path for a bind; ignored for tmpfs.</summary>
    public string Source { get; init; } = "";
    public required string Destination { get; init; }
    public bool ReadOnly { get; init; }
    /// <summary>"rprivate", "private", "rshared", "shared", "rslave", "slave"; empty writes none (Docker's named volumes).</summary>
    public string Propagation { get; init; } = "rprivate";
    /// <summary>"bind" instead of "rbind": submounts of the source are not carried along.</summary>
    public bool NonRecursive { get; init; }
    /// <summary>tmpfs data options, e.g. "size=1000000,mode=700" (from tmpfs-size and tmpfs-mode).</summary>
    public string TmpfsOptions { get; init; } = "";
}
