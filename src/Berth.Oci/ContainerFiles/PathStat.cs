using System.Globalization;
using Berth.Oci.Native;

namespace Berth.Oci.ContainerFiles;

/// <summary>
/// What Docker tells of a path in a container (the X-Docker-Container-Path-Stat header): its name, size, Go
/// os.FileMode bits, modification time and, for a symlink, where it leads inside the container.
/// </summary>
public sealed record PathStat(string Name, long Size, uint Mode, string ModifiedAt, string LinkTarget)
{
    // Go's os.FileMode type bits, which Docker sends as they are.
    private const uint GoDir = 1u << 31;
    private const uint GoSymlink = 1u << 27;
    private const uint GoDevice = 1u << 26;
    private const uint GoNamedPipe = 1u << 25;
    private const uint GoSocket = 1u << 24;
    private const uint GoSetuid = 1u << 23;
    private const uint GoSetgid = 1u << 22;
    private const uint GoCharDevice = 1u << 21;
    private const uint GoSticky = 1u << 20;

    public bool IsDirectory => (Mode & GoDir) != 0;

    public static PathStat From(string name, FileStatus status, string linkTarget) =>
        new(name, status.Size, GoMode(status), FormatTime(status.MTimeSeconds, status.MTimeNanoseconds), linkTarget);

    public static uint GoMode(FileStatus status)
    {
        uint mode = (uint)status.Permissions & 0x1ff;
        if ((status.Permissions & 0x800) != 0) mode |= GoSetuid;
        if ((status.Permissions & 0x400) != 0) mode |= GoSetgid;
        if ((status.Permissions & 0x200) != 0) mode |= GoSticky;
        mode |= status.Kind switch
        {
            FileKind.Directory => GoDir,
            FileKind.Symlink => GoSymlink,
            FileKind.BlockDevice => GoDevice,
            FileKind.CharDevice => GoDevice | GoCharDevice,
            FileKind.Fifo => GoNamedPipe,
            FileKind.Socket => GoSocket,
            _ => 0u,
        };
        return mode;
    }

    /// <summary>Go's RFC3339Nano in UTC: nanoseconds with trailing zeros dropped.</summary>
    public static string FormatTime(long seconds, uint nanoseconds)
    {
        string whole = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        if (nanoseconds == 0) return whole + "Z";
        return whole + "." + nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0') + "Z";
    }
}
