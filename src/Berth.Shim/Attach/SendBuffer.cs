using System.Runtime.InteropServices;
using Berth.Shim.Io;
using Berth.Shim.Native;

namespace Berth.Shim.Attach;

/// <summary>
/// Room in an attach socket for several read chunks. With the default unix socket send buffer (~208 KiB) a read
/// chunk never goes out in one send, so every chunk waited for the client to read part of the previous one; with room
/// for a few, the shim goes back to reading the container while the client catches up.
/// </summary>
internal static unsafe partial class SendBuffer
{
    private const int SO_SNDBUF = 7, SO_SNDBUFFORCE = 32;
    // The kernel doubles what it is given (bookkeeping overhead): this asks for about 4 chunks.
    private const int Bytes = 2 * ReadBuffer.BurstChunk;

    /// <summary>Grows the send buffer of <paramref name="fd"/>; past net.core.wmem_max only as root (SO_SNDBUFFORCE).</summary>
    public static void Grow(int fd)
    {
        int size = Bytes;
        if (setsockopt(fd, Libc.SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(int)) != 0)
            setsockopt(fd, Libc.SOL_SOCKET, SO_SNDBUF, &size, sizeof(int));
    }

    [LibraryImport("libc")]
    private static partial int setsockopt(int fd, int level, int name, int* value, uint length);
}
