using Berth.Shim.Native;

namespace Berth.Shim.Io;

/// <summary>
/// What every TTY stdio does with its pty master once it has one: output and input both go through it, stdin gets its
/// own dup so the two directions are separate epoll registrations, and resizes are TIOCSWINSZ on it. Subclasses say
/// how the master is obtained (runc's console socket, or opened in the container for a native exec).
/// </summary>
internal abstract unsafe class PtyMasterStdio(bool openStdin, string terminalOwner) : ProcessStdio
{
    private const int F_DUPFD_CLOEXEC = 1030;

    protected int Master { get; set; } = -1;
    private int _stdin = -1;

    public override bool IsTty => true;

    public override int TakeStdin()
    {
        int fd = _stdin;
        _stdin = -1;
        return fd;
    }

    public override int OutputFd(OutputStream stream) => stream == OutputStream.Stdout ? Master : -1;

    /// <summary>The process exists: the master becomes non-blocking, gets its size, and stdin its dup.</summary>
    protected void AdoptMaster(int height, int width)
    {
        Fd.SetNonBlocking(Master);
        if (height > 0 && width > 0) Resize(height, width);
        if (openStdin) _stdin = UnixError.Check(Libc.fcntl(Master, F_DUPFD_CLOEXEC, 3), "dup pty master");
    }

    public override void Resize(int height, int width)
    {
        if (Master < 0) throw new InvalidOperationException($"the {terminalOwner}'s terminal is closed");
        var size = new Libc.Winsize { Rows = (ushort)height, Cols = (ushort)width };
        UnixError.Check(Libc.ioctl(Master, Libc.TIOCSWINSZ, &size), "resize terminal");
    }

    /// <summary>Closes stdin's dup and the master.</summary>
    protected void CloseMaster()
    {
        Fd.Close(_stdin);
        Fd.Close(Master);
        _stdin = -1;
        Master = -1;
    }
}
