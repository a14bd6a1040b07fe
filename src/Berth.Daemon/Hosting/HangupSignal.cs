using System.Runtime.InteropServices;

namespace Berth.Daemon.Hosting;

/// <summary>
/// SIGHUP asks for a reload (<see cref="DaemonReload"/>). A daemon started with SIGHUP ignored (under nohup, or by a
/// supervisor that ignores it) would otherwise never see one: .NET leaves an inherited SIG_IGN alone, while dockerd
/// (Go's signal.Notify) takes the signal over. berthd takes it over too.
/// </summary>
public static partial class HangupSignal
{
    private const int SigHup = 1;
    private static readonly nint DefaultDisposition = 0; // SIG_DFL

    /// <summary>Runs <paramref name="reload"/> on the thread pool at each SIGHUP, until the registration is disposed.</summary>
    public static PosixSignalRegistration OnHangup(Action reload)
    {
        Signal(SigHup, DefaultDisposition);
        return PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true; // a reload, not the end of the daemon
            _ = Task.Run(reload);
        });
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
