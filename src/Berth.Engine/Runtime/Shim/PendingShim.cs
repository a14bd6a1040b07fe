using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Shim;

/// <summary>A shim started with <c>--await-go</c> (see <see cref="ShimLauncher.Start"/>), not yet told what to create.</summary>
public sealed class PendingShim(Process process) : IDisposable
{
    /// <summary>
    /// Writes shim.json, tells the shim to go and waits for its one line: the init's pid, or the error (BerthException
    /// Invalid when the command cannot be run, else Internal with runc's message).
    /// </summary>
    public async Task<int> CreateAsync(ShimLaunchSpec spec, CancellationToken ct)
    {
        // A restarted container reuses its state directory: the previous run's exit must not look like this one's.
        File.Delete(Path.Combine(spec.StateDir, ShimFiles.Exit));
        File.Delete(Path.Combine(spec.StateDir, ShimFiles.InitPid));
        byte[] config = JsonSerializer.SerializeToUtf8Bytes(ShimConfigDocument.From(spec), ShimJsonContext.Default.ShimConfigDocument);
        await RuntimeFile.WriteAsync(Path.Combine(spec.StateDir, ShimFiles.Config), config, ct).ConfigureAwait(false);

        string? line;
        try
        {
            var go = process.StandardInput.BaseStream;
            await go.WriteAsync("go\n"u8.ToArray(), ct).ConfigureAwait(false);
            await go.FlushAsync(ct).ConfigureAwait(false);
            process.StandardInput.Close();
            // The Process object is only needed for this line: .NET still reaps the shim whenever it exits.
            line = await process.StandardOutput.ReadLineAsync(ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            line = null; // the shim died before it could read "go"; its log says why
        }
        if (line is not null && line.StartsWith("created ", StringComparison.Ordinal)
            && int.TryParse(line.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            return pid;
        if (line is not null && ShimReplies.Error(line) is { } error) throw ShimErrors.FromRuntime(error);
        throw BerthException.Internal($"container {spec.Id}: berth-shim failed{Diagnostics(spec.StateDir, line)}");
    }

    /// <summary>Closes the shim's stdin and stdout: one still waiting for "go" exits, one past it is unaffected.</summary>
    public void Dispose()
    {
        // Process.Dispose leaves the redirected pipes open (until finalized): they are closed here.
        process.StandardInput.Dispose();
        process.StandardOutput.Dispose();
        process.Dispose();
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
