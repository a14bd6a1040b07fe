using System.Text;
using Berth.Shim.Native;

namespace Berth.Shim;

/// <summary>Messages for the shim's own stderr (the daemon points it at a file): problems that have nobody else to tell.</summary>
internal static class ShimDiagnostics
{
    public static void Warn(string message)
    {
        try
        {
            Fd.WriteAll(2, Encoding.UTF8.GetBytes($"berth-shim[{Environment.ProcessId}]: {message}\n"));
        }
        catch (UnixError)
        {
            // stderr is gone: nothing left to report to.
        }
    }
}
