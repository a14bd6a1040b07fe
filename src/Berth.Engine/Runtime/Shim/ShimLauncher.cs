using System.Diagnostics;
using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Shim;

/// <summary>
/// Starts a berth-shim for a container and waits until the container is created (runc create done, the user's
/// program not started). Contract: the daemon writes <c>&lt;stateDir&gt;/shim.json</c> and runs
/// <c>berth-shim &lt;stateDir&gt;</c>; the shim answers with one line on stdout, <c>created &lt;pid&gt;</c> or
/// <c>error &lt;message&gt;</c>, then lives on by itself (own session, stdout on /dev/null, stderr in shim.log).
/// </summary>
public static class ShimLauncher
{
    /// <summary>
    /// Returns the init's pid. Throws BerthException Invalid (the command cannot be run: not found, permission denied)
    /// or Internal with runc's message. If <paramref name="ct"/> fires first, the shim keeps going and can still be
    /// reached (or killed and shut down) through a <see cref="ShimClient"/> on the same state directory.
    /// </summary>
    public static async Task<int> LaunchAsync(string shimPath, ShimLaunchSpec spec, CancellationToken ct)
    {
        using var shim = Start(shimPath, spec.StateDir, spec.Id);
        return await shim.CreateAsync(spec, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a shim that waits for its configuration (<c>--await-go</c>): the process loads while the caller prepares
    /// the container, and <see cref="PendingShim.CreateAsync"/> hands it over. Disposing a shim that was never handed
    /// its configuration makes it exit.
    /// </summary>
    public static PendingShim Start(string shimPath, string stateDir, string id)
    {
        Directory.CreateDirectory(stateDir);
        var start = new ProcessStartInfo(shimPath)
        {
            ArgumentList = { stateDir, "--await-go" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        try
        {
            return new PendingShim(Process.Start(start) ?? throw BerthException.Internal($"container {id}: could not start {shimPath}"));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw BerthException.Internal($"container {id}: could not start {shimPath}: {e.Message}", e);
        }
    }
}
