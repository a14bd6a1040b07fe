namespace Berth.Engine.Volumes;

/// <summary>
/// One mount of a container, resolved at create from Binds, Mounts, VolumesFrom and Config.Volumes (dockerd's
/// MountPoint): kept in the container's record, shown by inspect, and turned into an OCI mount at each start.
/// </summary>
public sealed class MountPointRecord
{
    /// <summary>"bind", "volume" or "tmpfs".</summary>
    public required string Type { get; init; }

    /// <summary>The volume's name; null for binds and tmpfs.</summary>
    public string? Name { get; init; }

    /// <summary>The host path of a bind, or the volume's data directory.</summary>
    public string Source { get; init; } = "";

    public required string Destination { get; init; }

    /// <summary>The volume's driver ("local" or a plugin's name) for volumes, null otherwise.</summary>
    public string? Driver { get; init; }

    /// <summary>The mode text as the user wrote it ("ro", "z", "nocopy"); "z" for a named volume without one.</summary>
    public string Mode { get; init; } = "";

    public bool RW { get; init; } = true;

    /// <summary>Empty for volumes and tmpfs, as in Docker.</summary>
    public string Propagation { get; init; } = "";

    /// <summary>Copy the image's content at the destination into the volume while it is empty (not with nocopy).</summary>
    public bool CopyData { get; init; }

    /// <summary>The volume was made for this mount without a name: <c>rm -v</c> and <c>--rm</c> remove it.</summary>
    public bool Anonymous { get; init; }

    /// <summary>A directory inside the volume mounted instead of its root (<c>volume-subpath</c>).</summary>
    public string? Subpath { get; init; }

    public bool NonRecursive { get; init; }

    /// <summary>tmpfs data options ("size=…,mode=…").</summary>
    public string TmpfsOptions { get; init; } = "";

    /// <summary>
    /// While a plugin's volume is mounted for this container: the ID its VolumeDriver.Mount was given (new at each
    /// start, as dockerd makes one), kept in the container's record so an Unmount after a daemon restart names it.
    /// </summary>
    public string? PluginMountId { get; set; }

    public bool IsVolume => Type == "volume" && Name is not null;
}
