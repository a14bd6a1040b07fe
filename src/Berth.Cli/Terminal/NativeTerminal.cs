using System.Runtime.InteropServices;

namespace Berth.Cli.Terminal;

/// <summary>The few libc calls a terminal client needs: isatty, termios get/set/raw, and the window size.</summary>
internal static partial class NativeTerminal
{
    private const ulong TIOCGWINSZ = 0x5413;
    public const int TCSANOW = 0;

    /// <summary>glibc's struct termios is 60 bytes on Linux; kept opaque and handed to cfmakeraw.</summary>
    public const int TermiosSize = 64;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcgetattr(int fd, [Out] byte[] termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcsetattr(int fd, int optionalActions, byte[] termios);

    [LibraryImport("libc")]
    public static partial void cfmakeraw([In, Out] byte[] termios);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, ulong request, out WinSize size);

    [StructLayout(LayoutKind.Sequential)]
    private struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    public static bool IsTerminal(int fd) => isatty(fd) == 1;

    /// <summary>The terminal's (rows, columns), or null when fd is not a terminal.</summary>
    public static (int Rows, int Columns)? GetSize(int fd)
        => ioctl(fd, TIOCGWINSZ, out var size) == 0 && size.Columns > 0 ? (size.Rows, size.Columns) : null;
}
