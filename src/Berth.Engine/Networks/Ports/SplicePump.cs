using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Engine.Networks.Ports;

/// <summary>
/// Copies one direction of a proxied TCP connection without passing the bytes through user space (as docker-proxy
/// does through Go's splice support): splice what the source holds into a pipe, and the pipe into the destination;
/// when the source has nothing yet, a zero-byte receive waits for it. When the destination is full, the pipe's bytes are read out
/// and sent asynchronously, so back-pressure never blocks a thread.
/// </summary>
internal sealed class SplicePump : IDisposable
{
    private const int PipeSize = 1024 * 1024;
    private readonly int _readEnd;
    private readonly int _writeEnd;
    private readonly int _capacity;

    private SplicePump(int readEnd, int writeEnd, int capacity)
    {
        _readEnd = readEnd;
        _writeEnd = writeEnd;
        _capacity = capacity;
    }

    /// <summary>A pump with its own pipe, or null when pipes can't be had (out of descriptors): then copy instead.</summary>
    public static unsafe SplicePump? TryCreate()
    {
        int* fds = stackalloc int[2];
        if (SpliceLibC.Pipe2(fds, SpliceLibC.O_NONBLOCK | SpliceLibC.O_CLOEXEC) != 0) return null;
        // A bigger pipe moves more per call; without the privilege for 1 MiB the default 64 KiB still works.
        int capacity = SpliceLibC.Fcntl(fds[1], SpliceLibC.F_SETPIPE_SZ, PipeSize);
        return new SplicePump(fds[0], fds[1], capacity > 0 ? capacity : 64 * 1024);
    }

    public void Dispose()
    {
        SpliceLibC.Close(_readEnd);
        SpliceLibC.Close(_writeEnd);
    }

    /// <summary>Moves everything until the source's end of stream; returns false if splice is refused before any byte moved.</summary>
    public async Task<bool> RunAsync(Socket from, Socket to, CancellationToken token)
    {
        int source = (int)from.SafeHandle.DangerousGetHandle();
        int destination = (int)to.SafeHandle.DangerousGetHandle();
        byte[]? overflow = null;
        bool movedAny = false;
        try
        {
            while (true)
            {
                token.ThrowIfCancellationRequested();
                nint moved = Splice(source, _writeEnd, _capacity);
                if (moved == 0) return true;
                if (moved < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    // Nothing to read yet: a zero-byte receive waits for data (or the end) without taking any.
                    if (errno == SpliceLibC.EAGAIN) await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, token).ConfigureAwait(false);
                    if (errno is SpliceLibC.EAGAIN or SpliceLibC.EINTR) continue;
                    if (!movedAny && errno == 22 /* EINVAL */) return false;
                    throw new SocketException(errno);
                }
                movedAny = true;
                long pending = moved;
                while (pending > 0)
                {
                    nint sent = Splice(_readEnd, destination, (int)pending);
                    if (sent > 0)
                    {
                        pending -= sent;
                        continue;
                    }
                    int errno = Marshal.GetLastPInvokeError();
                    if (sent < 0 && errno == SpliceLibC.EINTR) continue;
                    if (sent < 0 && errno != SpliceLibC.EAGAIN) throw new SocketException(errno);
                    // The destination's send buffer is full: take the bytes out of the pipe and let SendAsync wait for room.
                    overflow ??= ArrayPool<byte>.Shared.Rent(_capacity);
                    int count = ReadPipe(overflow, (int)pending);
                    await to.SendAsync(overflow.AsMemory(0, count), SocketFlags.None, token).ConfigureAwait(false);
                    pending -= count;
                }
            }
        }
        finally
        {
            if (overflow is not null) ArrayPool<byte>.Shared.Return(overflow);
        }
    }

    private static unsafe nint Splice(int from, int to, int length) =>
        SpliceLibC.Splice(from, null, to, null, (nuint)length, SpliceLibC.SPLICE_F_MOVE | SpliceLibC.SPLICE_F_NONBLOCK);

    private unsafe int ReadPipe(byte[] buffer, int count)
    {
        while (true)
        {
            nint read;
            fixed (byte* bytes = buffer)
                read = SpliceLibC.Read(_readEnd, bytes, (nuint)Math.Min(count, buffer.Length));
            if (read > 0) return (int)read;
            int errno = Marshal.GetLastPInvokeError();
            if (read < 0 && errno == SpliceLibC.EINTR) continue;
            throw new SocketException(read == 0 ? 32 /* EPIPE */ : errno);
        }
    }
}
