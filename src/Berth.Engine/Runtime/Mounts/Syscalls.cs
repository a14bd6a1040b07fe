using System.Runtime.InteropServices;

namespace Berth.Engine.Runtime.Mounts;

/// <summary>The few mount syscalls the engine makes itself, so that starting a container spawns no mount process.</summary>
internal static partial class Syscalls
{
    public const ulong MS_RDONLY = 1;
    public const ulong MS_NOSUID = 2;
    public const ulong MS_NODEV = 4;
    public const ulong MS_NOEXEC = 8;
    public const ulong MS_REMOUNT = 32;
    public const ulong MS_BIND = 4096;
    public const ulong MS_REC = 16384;
    public const ulong MS_PRIVATE = 1 << 18;
    public const ulong MS_SHARED = 1 << 20;
    public const int MNT_DETACH = 2;
    public const int EINVAL = 22;
    public const int ENOENT = 2;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string source, string target, string fsType, ulong flags, string? data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Umount2(string target, int flags);
}
