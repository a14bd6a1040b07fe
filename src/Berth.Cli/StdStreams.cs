using System.Runtime.InteropServices;

namespace Berth.Cli;

/// <summary>
/// The process's stdin/stdout/stderr as streams doing plain read(2)/write(2) on fds 0-2.
/// System.Console's streams are avoided: on a terminal .NET initializes terminfo (writing keypad escapes) and
/// manages termios around reads, which fights the raw mode of <c>run -it</c>. FileStream is avoided too: on a
/// regular file it writes with pwrite at its own cached offset, clobbering output that other processes append
/// to a shared file (a shell's <c>&gt;log 2&gt;&amp;1</c>).
/// </summary>
public static partial class StdStreams
{
    public static Stream Open(int fd, FileAccess access) => new FdStream(fd, access);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buffer, nint count);

    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const int EPIPE = 32;

    private sealed class FdStream(int fd, FileAccess access) : Stream
    {
        public override bool CanRead => access.HasFlag(FileAccess.Read);
        public override bool CanWrite => access.HasFlag(FileAccess.Write);
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override unsafe int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
                return 0;
            fixed (byte* pointer = buffer)
            {
                while (true)
                {
                    var n = read(fd, pointer, buffer.Length);
                    if (n >= 0)
                        return (int)n;
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                        continue;
                    if (errno == EAGAIN)
                    {
                        Thread.Sleep(10);
                        continue;
                    }
                    throw new IOException($"read from fd {fd} failed: errno {errno}");
                }
            }
        }

        /// <summary>Blocking reads run on the thread pool; a cancelled read is abandoned, not interrupted.</summary>
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => new(Task.Run(() => Read(buffer.Span), cancellationToken).WaitAsync(cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override unsafe void Write(ReadOnlySpan<byte> buffer)
        {
            fixed (byte* pointer = buffer)
            {
                var written = 0;
                while (written < buffer.Length)
                {
                    var n = write(fd, pointer + written, buffer.Length - written);
                    if (n >= 0)
                    {
                        written += (int)n;
                        continue;
                    }
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                        continue;
                    if (errno == EAGAIN)
                    {
                        Thread.Sleep(1);
                        continue;
                    }
                    throw new IOException(errno == EPIPE ? "broken pipe" : $"write to fd {fd} failed: errno {errno}");
                }
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }
    }
}
