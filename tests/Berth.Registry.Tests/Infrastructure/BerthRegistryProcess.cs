using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Registry.Tests.Infrastructure;

/// <summary>
/// A real berth-registry process on 127.0.0.1 with a free port (it binds port 0 and prints the address it got) and
/// its own root directory.
/// </summary>
public sealed partial class BerthRegistryProcess : IRegistryUnderTest
{
    private readonly Process _process;
    private readonly StringBuilder _stderr;
    private readonly bool _ownsRoot;

    private BerthRegistryProcess(Process process, string root, bool ownsRoot, Uri baseUri, StringBuilder output, StringBuilder stderr)
    {
        _process = process;
        Output = output;
        _stderr = stderr;
        Root = root;
        _ownsRoot = ownsRoot;
        BaseUri = baseUri;
    }

    public string Name => "berth-registry";
    public Uri BaseUri { get; }
    public string HostPort => $"{BaseUri.Host}:{BaseUri.Port}";
    public string Root { get; }
    public int ProcessId => _process.Id;
    private StringBuilder Output { get; }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public static async Task<BerthRegistryProcess> StartAsync(string? root = null, IEnumerable<string>? extraArgs = null, IDictionary<string, string>? environment = null, string addr = "127.0.0.1:0")
    {
        bool ownsRoot = root is null;
        root ??= RepoPaths.NewTempDirectory("root");
        var start = new ProcessStartInfo(RepoPaths.RegistryBinary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "serve", "--addr", addr, "--root", root }.Concat(extraArgs ?? [])) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start berth-registry");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        var output = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { listening.TrySetException(new InvalidOperationException("berth-registry exited: " + stderr)); return; }
            lock (stderr) stderr.AppendLine(e.Data);
            var match = ListeningLine().Match(e.Data);
            if (match.Success) listening.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        Uri uri;
        try
        {
            uri = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
            throw;
        }
        return new BerthRegistryProcess(process, root, ownsRoot, uri, output, stderr);
    }

    public string AccessLog { get { lock (Output) return Output.ToString(); } }

    /// <summary>Kills the process at once (no draining), as a crash would.</summary>
    public void Kill()
    {
        try { _process.Kill(); } catch (InvalidOperationException) { }
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then wait for the process to drain and exit; returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        Signals.Terminate(_process.Id);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            Signals.Terminate(_process.Id);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { Kill(); }
        }
        _process.Dispose();
        if (_ownsRoot) try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    [GeneratedRegex(@"listening on (https?://[0-9.]+:[0-9]+)")]
    private static partial Regex ListeningLine();
}

public static class Signals
{
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    public static void Terminate(int pid) => kill(pid, 15);
}
