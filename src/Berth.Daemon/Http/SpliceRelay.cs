using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Daemon.Http;

/// <summary>
/// Moves a container's output from its shim's socket to the client's socket inside the kernel (splice through a pipe),
/// on a thread of its own: no copy into the daemon and no thread-pool hop per chunk, which is what made the daemon the
/// slowest stage of docker run/attach/exec output. Ends at the shim's end of stream; a client that hangs up ends it
/// with an <see cref="IOException"/>, cancellation with <see cref="OperationCanceledException"/>.
/// </summary>
public static partial class SpliceRelay
{
    private const int PipeSize = 1 << 20;
    private const int FSetPipeSize = 1031, ONonBlock = 0x800, OCloExec = 0x80000;
    private const uint SpliceMove = 1, SpliceNonBlock = 2;
    private const short PollIn = 0x1, PollOut = 0x4;
    private const int EAgain = 11, EIntr = 4;
    private const int PollMillis = 100;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pipe2(Span<int> fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint splice(int fdIn, nint offIn, int fdOut, nint offOut, nuint length, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(Span<PollFd> fds, nuint count, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    public static Task CopyAsync(Socket from, Socket to, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Copy(from, to, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static void Copy(Socket from, Socket to, CancellationToken cancellationToken)
    {
        Span<int> pipe = stackalloc int[2];
        if (pipe2(pipe, ONonBlock | OCloExec) != 0) throw Failure("pipe2");
        try
        {
            int capacity = fcntl(pipe[1], FSetPipeSize, PipeSize);
            if (capacity <= 0) capacity = 64 * 1024; // unprivileged limits: keep the default pipe size
            int source = (int)from.Handle, destination = (int)to.Handle;
            long buffered = 0;
            bool ended = false;
            Span<PollFd> waits = stackalloc PollFd[2];
            while (!ended || buffered > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool progress = false;
                if (!ended && buffered < capacity)
                {
                    nint n = splice(source, 0, pipe[1], 0, (nuint)(capacity - buffered), SpliceMove | SpliceNonBlock);
                    if (n > 0) { buffered += n; progress = true; }
                    else if (n == 0) { ended = true; progress = true; }
                    else if (Marshal.GetLastPInvokeError() is not (EAgain or EIntr)) throw Failure("splice from the shim");
                }
                if (buffered > 0)
                {
                    nint n = splice(pipe[0], 0, destination, 0, (nuint)buffered, SpliceMove | SpliceNonBlock);
                    if (n > 0) { buffered -= n; progress = true; }
                    else if (Marshal.GetLastPInvokeError() is not (EAgain or EIntr)) throw Failure("splice to the client");
                }
                if (progress) continue;
                int count = 0;
                if (!ended && buffered < capacity) waits[count++] = new PollFd { Fd = source, Events = PollIn };
                if (buffered > 0) waits[count++] = new PollFd { Fd = destination, Events = PollOut };
                if (poll(waits, (nuint)count, PollMillis) < 0 && Marshal.GetLastPInvokeError() != EIntr) throw Failure("poll");
            }
        }
        finally
        {
            close(pipe[0]);
            close(pipe[1]);
        }
    }

    private static IOException Failure(string what) => new($"{what}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
}
