using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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
        Directory.CreateDirectory(spec.StateDir);
        // A restarted container reuses its state directory: the previous run's exit must not look like this one's.
        File.Delete(Path.Combine(spec.StateDir, ShimFiles.Exit));
        File.Delete(Path.Combine(spec.StateDir, ShimFiles.InitPid));
        byte[] config = JsonSerializer.SerializeToUtf8Bytes(ShimConfigDocument.From(spec), ShimJsonContext.Default.ShimConfigDocument);
        await RuntimeFile.WriteAsync(Path.Combine(spec.StateDir, ShimFiles.Config), config, ct).ConfigureAwait(false);

        var start = new ProcessStartInfo(shimPath)
        {
            ArgumentList = { spec.StateDir },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw BerthException.Internal($"container {spec.Id}: could not start {shimPath}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw BerthException.Internal($"container {spec.Id}: could not start {shimPath}: {e.Message}", e);
        }

        using (process)
        {
            // The Process object is only needed for this line: .NET still reaps the shim whenever it exits.
            string? line = await process.StandardOutput.ReadLineAsync(ct).ConfigureAwait(false);
            process.StandardOutput.Dispose();
            if (line is not null && line.StartsWith("created ", StringComparison.Ordinal)
                && int.TryParse(line.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                return pid;
            if (line is not null && ShimReplies.Error(line) is { } error) throw ShimErrors.FromRuntime(error);
            throw BerthException.Internal($"container {spec.Id}: berth-shim failed{Diagnostics(spec.StateDir, line)}");
        }
    }

    private static string Diagnostics(string stateDir, string? line)
    {
        string text = line is null ? "" : $": \"{line}\"";
        try
        {
            string log = File.ReadAllText(Path.Combine(stateDir, ShimFiles.ShimLog)).Trim();
            if (log.Length > 0) text += $": {log[Math.Max(0, log.Length - 2000)..]}";
        }
        catch (IOException) { }
        return text;
    }
}
