using System.Text;
using Berth.Shim.Native;

namespace Berth.Shim;

/// <summary>Process-level set-up of the shim: its own session, child subreaper, signal dispositions, stdio.</summary>
internal static class ShimProcess
{
    /// <summary>
    /// setsid so the daemon's death and terminal signals don't reach us; child subreaper so the container's init is
    /// reparented to us when <c>runc create</c> exits; ignore SIGTERM/SIGINT/SIGHUP (stopping the container is the
    /// daemon's KILL) and SIGPIPE (a vanished reader is an error code); stdin from /dev/null, stderr to shim.log.
    /// </summary>
    public static void Detach(string logPath)
    {
        foreach (int signal in ProcessSpawner.IgnoredSignals) Libc.signal(signal, Libc.SIG_IGN);
        Libc.setsid();
        Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        Redirect(0, "/dev/null", Libc.O_RDONLY);
        try
        {
            Redirect(2, logPath, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND);
        }
        catch (UnixError)
        {
            Redirect(2, "/dev/null", Libc.O_WRONLY);
        }
        unsafe
        {
            byte* root = stackalloc byte[] { (byte)'/', 0 };
            Libc.chdir(root);
        }
    }

    /// <summary>
    /// With --await-go the daemon starts the shim before the container's configuration exists, so that loading the
    /// shim overlaps the daemon's own preparations; "go" on stdin says shim.json is written. End of file instead (the
    /// start failed or was abandoned) means there is nothing to do: the shim has touched nothing yet and just exits.
    /// </summary>
    public static bool AwaitGo()
    {
        Span<byte> line = stackalloc byte[8];
        int length = 0;
        while (length < line.Length)
        {
            int n = Fd.Read(0, line[length..(length + 1)]);
            if (n <= 0) return false;
            if (line[length] == (byte)'\n') return line[..length].SequenceEqual("go"u8);
            length++;
        }
        return false;
    }

    /// <summary>The one line for the launcher, then stdout becomes /dev/null so a dead daemon can never cost us a SIGPIPE.</summary>
    public static void ReportToLauncher(string line)
    {
        try
        {
            Fd.WriteAll(1, Encoding.UTF8.GetBytes(line));
        }
        catch (UnixError e)
        {
            ShimDiagnostics.Warn($"report to launcher: {e.Message}");
        }
        Redirect(1, "/dev/null", Libc.O_WRONLY);
    }

    private static void Redirect(int target, string path, int flags)
    {
        int fd = Fd.Open(path, flags, 0x1A0);
        Libc.dup2(fd, target); // dup2 clears close-on-exec on the target
        if (fd != target) Fd.Close(fd);
    }
}
