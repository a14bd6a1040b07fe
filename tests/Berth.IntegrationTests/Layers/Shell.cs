using System.Diagnostics;

namespace Berth.IntegrationTests.Layers;

/// <summary>Runs a host command for test setup and checks (mount, setcap, docker), bounded in time.</summary>
internal static class Shell
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> arguments,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)}: timed out");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a command that must succeed; returns its stdout.</summary>
    public static async Task<string> CheckAsync(string file, params string[] arguments)
    {
        var (code, stdout, stderr) = await RunAsync(file, arguments);
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {code}: {stderr}");
        return stdout;
    }
}
