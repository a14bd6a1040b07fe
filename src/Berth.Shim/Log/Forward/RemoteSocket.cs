using System.Text;
using Berth.Shim.Native;

namespace Berth.Shim.Log.Forward;

/// <summary>
/// The sender thread's blocking socket to the log server: UDP or TCP to an IP address, or a unix stream or datagram
/// socket, or a logging plugin's FIFO. Connects on first use and after a failure; sends never raise SIGPIPE.
/// </summary>
/// <remarks>
/// The FIFO is opened for reading and writing, as dockerd opens it: the open never waits for the plugin, a plugin that
/// goes away does not break the pipe (the container waits once the pipe is full, or drops lines with mode=non-blocking),
/// and a plugin that opens the FIFO again reads on where the last one stopped.
/// </remarks>
internal sealed unsafe class RemoteSocket(ForwardConfig config) : IDisposable
{
    private int _fd = -1;

    public bool Connected => _fd >= 0;

    /// <summary>Connects (if not yet); returns 0 or -errno.</summary>
    public int Connect()
    {
        if (_fd >= 0) return 0;
        if (config.Network == "fifo") return OpenFifo();
        byte* address = stackalloc byte[110];
        new Span<byte>(address, 110).Clear();
        uint length;
        int family, type = config.Datagram ? Libc.SOCK_DGRAM : Libc.SOCK_STREAM;
        if (config.Network is "unix" or "unixgram")
        {
            family = Libc.AF_UNIX;
            *(ushort*)address = Libc.AF_UNIX;
            int n = Encoding.UTF8.GetBytes(config.Path, new Span<byte>(address + 2, 107));
            length = (uint)(2 + n + 1);
        }
        else
        {
            byte* host = stackalloc byte[64];
            int n = Encoding.ASCII.GetBytes(config.Host, new Span<byte>(host, 63));
            host[n] = 0;
            ushort port = (ushort)((config.Port >> 8) | ((config.Port & 0xff) << 8));
            if (Libc.inet_pton(Libc.AF_INET, host, address + 4) == 1)
            {
                family = Libc.AF_INET;
                *(ushort*)address = Libc.AF_INET;
                *(ushort*)(address + 2) = port;
                length = 16;
            }
            else if (Libc.inet_pton(Libc.AF_INET6, host, address + 8) == 1)
            {
                family = Libc.AF_INET6;
                *(ushort*)address = Libc.AF_INET6;
                *(ushort*)(address + 2) = port;
                length = 28;
            }
            else
            {
                return -22; // EINVAL: the daemon passes an IP literal
            }
        }
        int fd = Libc.socket(family, type | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) return -Libc.Errno;
        int rc;
        do rc = Libc.connect(fd, address, length);
        while (rc < 0 && Libc.Errno == Libc.EINTR);
        if (rc < 0)
        {
            int errno = Libc.Errno;
            Fd.Close(fd);
            return -errno;
        }
        _fd = fd;
        return 0;
    }

    private int OpenFifo()
    {
        try
        {
            _fd = Fd.Open(config.Path, Libc.O_RDWR);
            return 0;
        }
        catch (UnixError e)
        {
            return -e.Errno;
        }
    }

    /// <summary>Sends one whole message (a datagram, or all of it on a stream); 0 or -errno. A failed stream is closed.</summary>
    public int Send(ReadOnlySpan<byte> message)
    {
        if (config.Network == "fifo") return WriteFifo(message);
        fixed (byte* start = message)
        {
            int sent = 0;
            while (sent < message.Length || message.IsEmpty)
            {
                nint n = Libc.send(_fd, start + sent, (nuint)(message.Length - sent), Libc.MSG_NOSIGNAL);
                if (n < 0)
                {
                    int errno = Libc.Errno;
                    if (errno == Libc.EINTR) continue;
                    // A UDP datagram refused (nobody listening yet): dropped, the socket stays.
                    if (config.Network == "udp" && errno == Libc.ECONNREFUSED) return 0;
                    Close();
                    return -errno;
                }
                if (config.Datagram || message.IsEmpty) return 0;
                sent += (int)n;
            }
            return 0;
        }
    }

    /// <summary>Writes the whole framed message: a FIFO write of up to a pipe's size is atomic, longer ones are not interleaved either (one writer).</summary>
    private int WriteFifo(ReadOnlySpan<byte> message)
    {
        fixed (byte* start = message)
        {
            int written = 0;
            while (written < message.Length)
            {
                nint n = Libc.write(_fd, start + written, (nuint)(message.Length - written));
                if (n < 0)
                {
                    int errno = Libc.Errno;
                    if (errno == Libc.EINTR) continue;
                    Close();
                    return -errno;
                }
                written += (int)n;
            }
            return 0;
        }
    }

    public void Close()
    {
        if (_fd < 0) return;
        Fd.Close(_fd);
        _fd = -1;
    }

    public void Dispose() => Close();
}
