using System.Text;
using Berth.Shim.Native;

namespace Berth.Shim.Io;

/// <summary>Plain stdio: stdout and stderr are pipes; stdin is a pipe when the container keeps stdin open, else /dev/null.</summary>
internal sealed class PipeStdio : ProcessStdio
{
    private int _childStdin, _childStdout, _childStderr;
    private int _stdin = -1;
    private int _stdout, _stderr;

    public PipeStdio(bool openStdin)
    {
        if (openStdin)
        {
            (_childStdin, _stdin) = Fd.Pipe();
            Fd.SetNonBlocking(_stdin);
        }
        else
        {
            _childStdin = Fd.Open("/dev/null", Libc.O_RDONLY);
        }
        (_stdout, _childStdout) = Fd.Pipe();
        (_stderr, _childStderr) = Fd.Pipe();
        Fd.SetNonBlocking(_stdout);
        Fd.SetNonBlocking(_stderr);
        // A chatty container fills a 64 KiB pipe at once and then waits on every read of the shim; with room for a
        // whole burst chunk it keeps writing while the shim moves the previous chunk on.
        Fd.TryGrowPipe(_stdout, ReadBuffer.BurstChunk);
        Fd.TryGrowPipe(_stderr, ReadBuffer.BurstChunk);
    }

    public override int ChildStdin => _childStdin;
    public override int ChildStdout => _childStdout;
    public override int ChildStderr => _childStderr;
    public override bool IsTty => false;
    public override int TakeStdin()
    {
        int fd = _stdin;
        _stdin = -1;
        return fd;
    }

    public override int OutputFd(OutputStream stream) => stream == OutputStream.Stdout ? _stdout : _stderr;

    public override void CloseChildEnds()
    {
        Fd.Close(_childStdin);
        Fd.Close(_childStdout);
        Fd.Close(_childStderr);
        _childStdin = _childStdout = _childStderr = -1;
    }

    // runc create inherits the container's stderr, so until START only runc writes there.
    public override string ReadRuntimeErrors() => ReadAvailable(_stderr);

    public override void Dispose()
    {
        CloseChildEnds();
        Fd.Close(_stdin);
        Fd.Close(_stdout);
        Fd.Close(_stderr);
        _stdin = _stdout = _stderr = -1;
    }

    /// <summary>What a non-blocking descriptor holds right now, up to 8 KiB (runtime error messages are short).</summary>
    internal static string ReadAvailable(int fd)
    {
        Span<byte> buffer = stackalloc byte[8192];
        int total = 0;
        while (total < buffer.Length)
        {
            int n = Fd.Read(fd, buffer[total..]);
            if (n <= 0) break;
            total += n;
        }
        return Encoding.UTF8.GetString(buffer[..total]);
    }
}
