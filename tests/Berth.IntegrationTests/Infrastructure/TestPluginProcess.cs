using System.Diagnostics;

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>
/// berth-test-plugin running on the host as a legacy plugin: started on its socket (with the arguments of the role it
/// plays: a volume driver's root, an authorization plugin's log), ready once the socket exists, stopped with SIGTERM
/// (it removes its socket then).
/// </summary>
public sealed class TestPluginProcess : IDisposable
{
    private readonly Process _process;

    private TestPluginProcess(Process process) => _process = process;

    public static async Task<TestPluginProcess> StartAsync(string socket, params string[] arguments)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        var process = Process.Start(new ProcessStartInfo(BerthBinaries.TestPlugin, ["--socket", socket, .. arguments]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("cannot start berth-test-plugin");
        for (int i = 0; i < 100 && !File.Exists(socket); i++) await Task.Delay(20);
        Assert.True(File.Exists(socket), "berth-test-plugin did not create its socket");
        return new TestPluginProcess(process);
    }

    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])!) await kill.WaitForExitAsync();
        await _process.WaitForExitAsync();
    }

    public void Dispose() => _process.Dispose();
}
