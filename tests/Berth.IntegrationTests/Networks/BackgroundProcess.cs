using System.Diagnostics;

namespace Berth.IntegrationTests.Networks;

/// <summary>A helper program a test runs beside itself (a busybox server); killed with its children on dispose.</summary>
public sealed class BackgroundProcess : IDisposable
{
    private readonly Process _process;

    private BackgroundProcess(Process process)
    {
        _process = process;
    }

    public static BackgroundProcess Start(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BackgroundProcess(process);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
