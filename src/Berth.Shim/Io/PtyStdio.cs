using Berth.Shim.Native;

namespace Berth.Shim.Io;

/// <summary>
/// TTY stdio: runc creates the pty inside the container and passes the master to us over a console socket
/// (SCM_RIGHTS); see <see cref="PtyMasterStdio"/> for the master's use. runc's own stderr goes to a pipe so its error
/// messages can be reported.
/// </summary>
internal sealed class PtyStdio : PtyMasterStdio
{
    private readonly string _consolePath;
    private int _listener;
    private int _devNull, _errorsRead, _errorsWrite;

    public PtyStdio(bool openStdin, string consoleSocketPath) : base(openStdin, "container")
    {
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
            Master = UnixSocket.ReceiveFd(connection);
        }
        finally
        {
            Fd.Close(connection);
            CloseListener();
        }
        if (Master < 0) throw new InvalidOperationException("runc sent no pty master on the console socket");
        AdoptMaster(height, width);
    }

    public override string ReadRuntimeErrors() => PipeStdio.ReadAvailable(_errorsRead);

    public override void Dispose()
    {
        CloseChildEnds();
        CloseListener();
        Fd.Close(_errorsRead);
        _errorsRead = -1;
        CloseMaster();
    }

    private void CloseListener()
    {
        if (_listener < 0) return;
        Fd.Close(_listener);
        _listener = -1;
        Fd.Unlink(_consolePath);
    }
}
