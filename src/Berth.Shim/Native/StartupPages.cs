using System.Runtime.InteropServices;

namespace Berth.Shim.Native;

/// <summary>
/// Drops the page-table entries of executable file mappings once the container runs. Those pages stay in the page
/// cache, shared with every other process using libc or berth-shim: the shim only stops counting start-up code (and
/// whatever the kernel's fault-around mapped next to it) in its RSS. Code that runs later comes back through minor
/// faults. Only r-x mappings qualify: they are never written, so no private data can be lost (relocated read-only
/// data is left alone). Allocation-free, so it does not itself grow the managed heap.
/// </summary>
internal static unsafe class StartupPages
{
    private const int MADV_DONTNEED = 4;
    private const int MapsSize = 16 * 1024;

    public static void Release()
    {
        byte* maps = (byte*)NativeMemory.Alloc(MapsSize);
        try
        {
            int length = ReadMaps(maps);
            var text = new ReadOnlySpan<byte>(maps, length);
            while (!text.IsEmpty)
            {
                int end = text.IndexOf((byte)'\n');
                var line = end < 0 ? text : text[..end];
                text = end < 0 ? default : text[(end + 1)..];
                // 7f4a1c000000-7f4a1c021000 r-xp 00000000 fe:00 1234    /usr/lib/x86_64-linux-gnu/libc.so.6
                int dash = line.IndexOf((byte)'-'), space = line.IndexOf((byte)' ');
                if (dash < 0 || space < dash || line.Length < space + 5 || !line.Slice(space + 1, 4).SequenceEqual("r-xp"u8)) continue;
                if (line.IndexOf((byte)'/') < 0) continue; // [vdso] and anonymous code
                ulong start = Hex(line[..dash]), stop = Hex(line[(dash + 1)..space]);
                if (stop > start) Libc.madvise((void*)start, (nuint)(stop - start), MADV_DONTNEED);
            }
        }
        finally
        {
            NativeMemory.Free(maps);
        }
    }

    private static int ReadMaps(byte* buffer)
    {
        byte* path = stackalloc byte[] { (byte)'/', (byte)'p', (byte)'r', (byte)'o', (byte)'c', (byte)'/', (byte)'s', (byte)'e', (byte)'l', (byte)'f', (byte)'/', (byte)'m', (byte)'a', (byte)'p', (byte)'s', 0 };
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0) return 0;
        int total = 0;
        while (total < MapsSize)
        {
            nint n = Libc.read(fd, buffer + total, (nuint)(MapsSize - total));
            if (n <= 0) break;
            total += (int)n;
        }
        Libc.close(fd);
        return total;
    }

    private static ulong Hex(ReadOnlySpan<byte> digits)
    {
        ulong value = 0;
        foreach (byte d in digits)
            value = (value << 4) | (uint)(d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
        return value;
    }
}
