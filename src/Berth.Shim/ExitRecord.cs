using System.Text;
using Berth.Shim.Log;
using Berth.Shim.Native;

namespace Berth.Shim;

/// <summary>
/// The container's exit status, kept in <c>exit.json</c> (<c>{"exitCode":N,"finishedAt":"RFC3339Nano","oomKilled":bool}</c>)
/// so that a daemon which was down when the container exited still learns it after the shim has gone.
/// </summary>
internal sealed class ExitRecord(int exitCode, long finishedAtUnixNanos, bool oomKilled)
{
    public int ExitCode { get; } = exitCode;
    public long FinishedAtUnixNanos { get; } = finishedAtUnixNanos;
    public bool OomKilled { get; } = oomKilled;

    public string ToJson() =>
        $"{{\"exitCode\":{ExitCode},\"finishedAt\":\"{Rfc3339.Format(FinishedAtUnixNanos)}\",\"oomKilled\":{(OomKilled ? "true" : "false")}}}\n";

    /// <summary>
    /// Temp file, rename: a reader sees the whole record or none. No fsync: the record outlives the shim and the daemon,
    /// not the machine (the containers die with it, and a daemon finding no readable record reports exit code 255), and
    /// on a busy disk an fsync can hold up every exit for tens of milliseconds.
    /// </summary>
    public void WriteAtomically(string path)
    {
        string temp = Path.Combine(Path.GetDirectoryName(path) ?? ".", $".tmp-{Path.GetFileName(path)}-{Environment.ProcessId}");
        int fd = Fd.Open(temp, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC, 0x1A4);
        try
        {
            Fd.WriteAll(fd, Encoding.UTF8.GetBytes(ToJson()));
        }
        finally
        {
            Fd.Close(fd);
        }
        Fd.Rename(temp, path);
    }
}
