using Berth.Shim.Native;

namespace Berth.Shim.Io;

/// <summary>
/// TTY stdio: runc creates the pty inside the container and passes the master to us over a console socket
/// (SCM_RIGHTS). Input and output both go through the master; stdin gets its own dup of it so the two directions
/// are separate epoll registrations. runc's own stderr goes to a pipe so its error messages can be reported.
/// </summary>
internal sealed unsafe class PtyStdio : ProcessStdio
{
    private const int F_DUPFD_CLOEXEC = 1030;
    private readonly bool _openStdin;
    private readonly string _consolePath;
    private int _listener;
    private int _devNull, _errorsRead, _errorsWrite;
    private int _master = -1, _stdin = -1;

    public PtyStdio(bool openStdin, string consoleSocketPath)
    {
        _openStdin = openStdin;
        _consolePath = consoleSocketPath;
        _listener = UnixSocket.Listen(consoleSocketPath, backlog: 1);
        _devNull = Fd.Open("/dev/null", Libc.O_RDWR);
        (_errorsRead, _errorsWrite) = Fd.Pipe();
        Fd.SetNonBlocking(_errorsRead);
    }

    public override int ChildStdin => _devNull;
    public override int ChildStdout => _devNull;
    public override int ChildStderr => _errorsWrite;
    public override string? ConsoleSocketPath => _consolePath;
    public override bool IsTty => true;
    public override int TakeStdin()
    {
        int fd = _stdin;
        _stdin = -1;
        return fd;
    }

    public override int OutputFd(OutputStream stream) => stream == OutputStream.Stdout ? _master : -1;

    public override void CloseChildEnds()
    {
        Fd.Close(_devNull);
        Fd.Close(_errorsWrite);
        _devNull = _errorsWrite = -1;
    }

    public override void OnCreated(int height, int width)
    {
        int connection = UnixSocket.Accept(_listener);
        if (connection < 0) throw new InvalidOperationException("runc did not connect to the console socket");
        try
        {
            _master = UnixSocket.ReceiveFd(connection);
        }
        finally
        {
            Fd.Close(connection);
            CloseListener();
        }
        if (_master < 0) throw new InvalidOperationException("runc sent no pty master on the console socket");
        Fd.SetNonBlocking(_master);
        if (height > 0 && width > 0) Resize(height, width);
        if (_openStdin) _stdin = UnixError.Check(Libc.fcntl(_master, F_DUPFD_CLOEXEC, 3), "dup pty master");
    }

    public override string ReadRuntimeErrors() => PipeStdio.ReadAvailable(_errorsRead);

    public override void Resize(int height, int width)
    {
        if (_master < 0) throw new InvalidOperationException("the container's terminal is closed");
        var size = new Libc.Winsize { Rows = (ushort)height, Cols = (ushort)width };
        UnixError.Check(Libc.ioctl(_master, Libc.TIOCSWINSZ, &size), "resize terminal");
    }

    public override void Dispose()
    {
        CloseChildEnds();
        CloseListener();
        Fd.Close(_errorsRead);
        Fd.Close(_stdin);
        Fd.Close(_master);
        _errorsRead = _stdin = _master = -1;
    }

    private void CloseListener()
    {
        if (_listener < 0) return;
        Fd.Close(_listener);
        _listener = -1;
        Fd.Unlink(_consolePath);
    }
}
