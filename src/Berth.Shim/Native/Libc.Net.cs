using System.Runtime.InteropServices;

namespace Berth.Shim.Native;

/// <summary>The libc calls of log forwarding: client sockets (IP and unix) and the local time of syslog timestamps.</summary>
internal static unsafe partial class Libc
{
    public const int AF_INET = 2, AF_INET6 = 10, SOCK_DGRAM = 2;
    public const int ECONNREFUSED = 111;

    /// <summary>struct tm (glibc, 64-bit): what localtime_r fills in, with the zone's offset from UTC.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Tm
    {
        public int Second, Minute, Hour, Day, Month, Year, WeekDay, YearDay, IsDst;
        public long GmtOffset;
        public byte* Zone;
    }

    [LibraryImport(Lib, SetLastError = true)] public static partial int connect(int fd, void* addr, uint addrLength);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint send(int fd, byte* buffer, nuint length, int flags);
    [LibraryImport(Lib)] public static partial int inet_pton(int family, byte* text, void* destination);
    [LibraryImport(Lib)] public static partial Tm* localtime_r(long* time, Tm* result);
}
