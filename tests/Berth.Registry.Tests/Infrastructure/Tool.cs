using System.Diagnostics;

namespace Berth.Registry.Tests.Infrastructure;

public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public ToolResult EnsureSuccess(string what) =>
        ExitCode == 0 ? this : throw new Xunit.Sdk.XunitException($"{what} exited {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
}

/// <summary>Runs an external client (skopeo, docker) with a time limit.</summary>
public static class Tool
{
    public static async Task<ToolResult> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time");
        }
        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<ToolResult> Skopeo(params string[] args) => RunAsync("skopeo", args);

    public static bool Exists(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, file)));
}
