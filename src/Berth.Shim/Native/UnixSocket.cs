using System.Text;

namespace Berth.Shim.Native;

/// <summary>Unix stream sockets: a listener on a path, non-blocking accept, sends that never raise SIGPIPE, and fd passing
/// (runc's console socket; the daemon handing over a client's connection).</summary>
internal static unsafe class UnixSocket
{
    private const int SunPathLength = 108;

    /// <summary>Listens on <paramref name="path"/> with mode 0600 (set through the umask, so there is no window with wider rights).</summary>
    public static int Listen(string path, int backlog = 64)
    {
        int byteCount = Encoding.UTF8.GetByteCount(path);
        if (byteCount >= SunPathLength)
            throw new InvalidOperationException($"socket path {path} is longer than {SunPathLength - 1} bytes");
        Fd.Unlink(path);

        int fd = UnixError.Check(Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, 0), "socket");
        byte* addr = stackalloc byte[2 + SunPathLength];
        new Span<byte>(addr, 2 + SunPathLength).Clear();
        *(ushort*)addr = Libc.AF_UNIX;
        Encoding.UTF8.GetBytes(path, new Span<byte>(addr + 2, SunPathLength));
        uint old = Libc.umask(0x7F); // 0177
        int rc = Libc.bind(fd, addr, (uint)(2 + byteCount + 1));
        int errno = Libc.Errno;
        Libc.umask(old);
        if (rc < 0)
        {
            Fd.Close(fd);
            throw new UnixError($"bind {path}", errno);
        }
        if (Libc.listen(fd, backlog) < 0)
        {
            var error = UnixError.Last($"listen {path}");
            Fd.Close(fd);
            throw error;
        }
        return fd;
    }

    /// <summary>Accepts one pending connection as a non-blocking fd, or returns -1 when none is waiting.</summary>
    public static int Accept(int listener)
    {
        while (true)
        {
            int fd = Libc.accept4(listener, null, null, Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK);
            if (fd >= 0) return fd;
            int errno = Libc.Errno;
            if (errno == Libc.EINTR) continue;
            return -1;
        }
    }

    /// <summary>Gathers <paramref name="first"/> and <paramref name="second"/> into one send; returns bytes sent or -errno.</summary>
    public static int Send(int fd, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second = default)
    {
        fixed (byte* a = first)
        fixed (byte* b = second)
        {
            Libc.IoVec* iov = stackalloc Libc.IoVec[2];
            iov[0] = new Libc.IoVec { Base = a, Length = (nuint)first.Length };
            iov[1] = new Libc.IoVec { Base = b, Length = (nuint)second.Length };
            var msg = new Libc.MsgHdr { Iov = iov, IovLength = second.IsEmpty ? 1u : 2u };
            while (true)
            {
                nint n = Libc.sendmsg(fd, &msg, Libc.MSG_NOSIGNAL | Libc.MSG_DONTWAIT);
                if (n >= 0) return (int)n;
                int errno = Libc.Errno;
                if (errno != Libc.EINTR) return -errno;
            }
        }
    }

    /// <summary>Receives data and one descriptor passed with SCM_RIGHTS (runc's --console-socket); returns the fd or -1.</summary>
    public static int ReceiveFd(int fd)
    {
        byte* data = stackalloc byte[512];
        byte* control = stackalloc byte[64];
        var iov = new Libc.IoVec { Base = data, Length = 512 };
        var msg = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = 64 };
        nint n;
        do n = Libc.recvmsg(fd, &msg, Libc.MSG_CMSG_CLOEXEC);
        while (n < 0 && Libc.Errno == Libc.EINTR);
        if (n < 0) throw UnixError.Last("recvmsg console socket");

        // struct cmsghdr { size_t len; int level; int type; } followed by the data.
        if (msg.ControlLength < 20) return -1;
        nuint length = *(nuint*)control;
        int level = *(int*)(control + 8), type = *(int*)(control + 12);
        if (level != Libc.SOL_SOCKET || type != Libc.SCM_RIGHTS || length < 20) return -1;
        return *(int*)(control + 16);
    }

    /// <summary>
    /// One non-blocking read that also takes descriptors passed with SCM_RIGHTS (the daemon hands over a client's
    /// connection this way). The first passed descriptor goes to <paramref name="passedFd"/> when it is still -1; any
    /// other is closed at once. Returns bytes read, 0 at end of stream, or -errno.
    /// </summary>
    public static int Receive(int fd, Span<byte> buffer, ref int passedFd)
    {
        const int ControlSize = 64, HeaderSize = 16; // struct cmsghdr { size_t len; int level; int type; }
        byte* control = stackalloc byte[ControlSize];
        fixed (byte* data = buffer)
        {
            var iov = new Libc.IoVec { Base = data, Length = (nuint)buffer.Length };
            var msg = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = ControlSize };
            nint n;
            do n = Libc.recvmsg(fd, &msg, Libc.MSG_CMSG_CLOEXEC | Libc.MSG_DONTWAIT);
            while (n < 0 && Libc.Errno == Libc.EINTR);
            if (n < 0) return -Libc.Errno;
            byte* header = control;
            while (msg.ControlLength >= HeaderSize && header + HeaderSize <= control + (int)msg.ControlLength)
            {
                nuint length = *(nuint*)header;
                if (length < HeaderSize || header + (int)length > control + (int)msg.ControlLength) break;
                if (*(int*)(header + 8) == Libc.SOL_SOCKET && *(int*)(header + 12) == Libc.SCM_RIGHTS)
                {
                    for (int* passed = (int*)(header + HeaderSize); (byte*)(passed + 1) <= header + (int)length; passed++)
                    {
                        if (passedFd < 0) passedFd = *passed;
                        else Fd.Close(*passed);
                    }
                }
                header += ((int)length + 7) & ~7;
            }
            return (int)n;
        }
    }

    public static void ShutdownWrite(int fd) => Libc.shutdown(fd, Libc.SHUT_WR);
}
