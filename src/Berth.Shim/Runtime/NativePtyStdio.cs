using Berth.Shim.Io;
using Berth.Shim.Native;

namespace Berth.Shim.Runtime;

/// <summary>
/// TTY stdio of a native exec: a pty of the container's own devpts instance, as runc creates it inside the container.
/// The shim opens the container's /dev/ptmx through the init's root with openat2(RESOLVE_IN_ROOT) (so symlinks in
/// the container resolve inside it, never to the host), and takes the slave from the master (TIOCGPTPEER): the exec'd
/// process gets the slave as 0, 1 and 2 and makes it its controlling terminal; `tty` shows /dev/pts/N.
/// </summary>
internal sealed unsafe class NativePtyStdio : PtyMasterStdio
{
    private int _slave;

    public NativePtyStdio(int initPid, bool openStdin, int height, int width) : base(openStdin, "exec")
    {
        int root = Fd.Open($"/proc/{initPid}/root", Libc.O_PATH | Libc.O_DIRECTORY);
        try
        {
            Master = OpenInRoot(root, "dev/ptmx", Libc.O_RDWR | Libc.O_NOCTTY);
        }
        finally
        {
            Fd.Close(root);
        }
        try
        {
            int unlock = 0, number;
            // TIOCGPTN answers only on a pty master: anything else the container put at /dev/ptmx is refused here.
            UnixError.Check(Libc.ioctl(Master, Libc.TIOCGPTN, &number), "the container's /dev/ptmx is not a pty master");
            UnixError.Check(Libc.ioctl(Master, Libc.TIOCSPTLCK, &unlock), "unlock pty");
            _slave = UnixError.Check(Libc.ioctl(Master, Libc.TIOCGPTPEER, (void*)(Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC)), "open pty slave");
            if (height > 0 && width > 0) Resize(height, width);
        }
        catch
        {
            CloseMaster();
            throw;
        }
    }

    /// <summary>openat2 below <paramref name="root"/> as if it were "/": no escape through symlinks or "..".</summary>
    internal static int OpenInRoot(int root, string path, int flags)
    {
        var how = new Libc.OpenHow { Flags = (ulong)(flags | Libc.O_CLOEXEC), Resolve = Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS };
        byte* p = stackalloc byte[System.Text.Encoding.UTF8.GetMaxByteCount(path.Length) + 1];
        Fd.CString(path, p);
        long fd;
        do fd = Libc.syscall(Libc.SYS_openat2, root, (long)p, (long)&how, sizeof(Libc.OpenHow));
        while (fd < 0 && Libc.Errno == Libc.EINTR);
        return fd < 0 ? throw UnixError.Last($"open {path} in the container") : (int)fd;
    }

    public override int ChildStdin => _slave;
    public override int ChildStdout => _slave;
    public override int ChildStderr => _slave;

    public override void CloseChildEnds()
    {
        Fd.Close(_slave);
        _slave = -1;
    }

    public override void OnCreated(int height, int width) => AdoptMaster(height, width);

    public override string ReadRuntimeErrors() => "";

    public override void Dispose()
    {
        CloseChildEnds();
        CloseMaster();
    }
}
