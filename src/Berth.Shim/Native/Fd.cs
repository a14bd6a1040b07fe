using System.Text;

namespace Berth.Shim.Native;

/// <summary>Small helpers over raw file descriptors; the shim owns every fd it opens and closes them explicitly.</summary>
internal static unsafe class Fd
{
    public static void Close(int fd)
    {
        if (fd >= 0) Libc.close(fd);
    }

    public static void SetNonBlocking(int fd)
    {
        int flags = UnixError.Check(Libc.fcntl(fd, Libc.F_GETFL, 0), "fcntl F_GETFL");
        UnixError.Check(Libc.fcntl(fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK), "fcntl F_SETFL");
    }

    public static int Open(string path, int flags, int mode = 0)
    {
        byte* p = stackalloc byte[Encoding.UTF8.GetMaxByteCount(path.Length) + 1];
        CString(path, p);
        int fd;
        do fd = Libc.open(p, flags | Libc.O_CLOEXEC, mode);
        while (fd < 0 && Libc.Errno == Libc.EINTR);
        return fd < 0 ? throw UnixError.Last($"open {path}") : fd;
    }

    /// <summary>Returns (read end, write end), both close-on-exec and blocking; callers make their own end non-blocking.</summary>
    public static (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        UnixError.Check(Libc.pipe2(fds, Libc.O_CLOEXEC), "pipe2");
        return (fds[0], fds[1]);
    }

    /// <summary>Asks for a pipe of <paramref name="bytes"/>; keeps the default when the system limit refuses it.</summary>
    public static void TryGrowPipe(int fd, int bytes) => Libc.fcntl(fd, Libc.F_SETPIPE_SZ, bytes);

    /// <summary>Writes everything, retrying on EINTR and short writes (blocking descriptors only).</summary>
    public static void WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint n = Libc.write(fd, p + done, (nuint)(data.Length - done));
                if (n < 0)
                {
                    if (Libc.Errno == Libc.EINTR) continue;
                    throw UnixError.Last("write");
                }
                done += (int)n;
            }
        }
    }

    /// <summary>One read; returns bytes read, 0 at end of file, or -errno.</summary>
    public static int Read(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Libc.read(fd, p, (nuint)buffer.Length);
                if (n >= 0) return (int)n;
                int errno = Libc.Errno;
                if (errno != Libc.EINTR) return -errno;
            }
        }
    }

    /// <summary>Reads a small file whole (configuration, pid files, cgroup files; procfs/sysfs report size 0, so read to EOF).</summary>
    public static byte[] ReadFile(string path, int limit = 1 << 20)
    {
        int fd = Open(path, Libc.O_RDONLY);
        try
        {
            // Read through the shared native buffer so that only the file's bytes land on the managed heap.
            var buffer = Io.ReadBuffer.Shared;
            byte[] result = [];
            while (true)
            {
                int n = Read(fd, buffer);
                if (n < 0) throw new UnixError($"read {path}", -n);
                if (n == 0) return result;
                if (result.Length + n > limit) throw new InvalidDataException($"{path}: larger than {limit} bytes");
                int old = result.Length;
                Array.Resize(ref result, old + n);
                buffer[..n].CopyTo(result.AsSpan(old));
            }
        }
        finally
        {
            Close(fd);
        }
    }

    public static void Rename(string from, string to)
    {
        byte* a = stackalloc byte[Encoding.UTF8.GetMaxByteCount(from.Length) + 1];
        byte* b = stackalloc byte[Encoding.UTF8.GetMaxByteCount(to.Length) + 1];
        CString(from, a);
        CString(to, b);
        UnixError.Check(Libc.rename(a, b), $"rename {from}");
    }

    /// <summary>Removes a file; a missing file is fine.</summary>
    public static void Unlink(string path)
    {
        byte* p = stackalloc byte[Encoding.UTF8.GetMaxByteCount(path.Length) + 1];
        CString(path, p);
        if (Libc.unlink(p) < 0 && Libc.Errno != Libc.ENOENT) throw UnixError.Last($"unlink {path}");
    }

    public static bool Exists(string path)
    {
        byte* p = stackalloc byte[Encoding.UTF8.GetMaxByteCount(path.Length) + 1];
        CString(path, p);
        return Libc.access(p, 0) == 0;
    }

    /// <summary>Writes a NUL-terminated UTF-8 copy of <paramref name="value"/> to <paramref name="destination"/>.</summary>
    public static void CString(string value, byte* destination)
    {
        int n = Encoding.UTF8.GetBytes(value, new Span<byte>(destination, Encoding.UTF8.GetMaxByteCount(value.Length)));
        destination[n] = 0;
    }
}
