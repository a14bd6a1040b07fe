using System.Diagnostics;
using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Volumes;

/// <summary>
/// berth-test-plugin running on the host as a legacy plugin: its socket is /run/docker/plugins/NAME.sock with a name
/// unique to the test (every daemon on the host finds it, so tests in parallel must not share one), its volumes are
/// directories of its own root. Disposing stops it and removes its socket and root.
/// </summary>
public sealed class TestVolumePlugin : IAsyncDisposable
{
    private const string PluginDir = "/run/docker/plugins";
    private Process? _process;

    private TestVolumePlugin(string name, string root)
    {
        Name = name;
        Root = root;
    }

    public string Name { get; }
    public string Root { get; }
    public string Socket => Path.Combine(PluginDir, Name + ".sock");

    public static async Task<TestVolumePlugin> StartAsync()
    {
        string name = "berth-it-" + Guid.NewGuid().ToString("N")[..10];
        var plugin = new TestVolumePlugin(name, Path.Combine(Path.GetTempPath(), name));
        await plugin.LaunchAsync();
        return plugin;
    }

    public async Task LaunchAsync()
    {
        Directory.CreateDirectory(PluginDir);
        _process = Process.Start(new ProcessStartInfo(BerthBinaries.TestPlugin, ["--socket", Socket, "--root", Root]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("cannot start berth-test-plugin");
        for (int i = 0; i < 100 && !File.Exists(Socket); i++) await Task.Delay(20);
        Assert.True(File.Exists(Socket), "berth-test-plugin did not create its socket");
    }

    /// <summary>SIGTERM: the plugin removes its socket and exits (its volumes stay in its root).</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
        await _process.WaitForExitAsync();
    }

    /// <summary>The calls the plugin got, one per line: "VolumeDriver.Mount NAME ID".</summary>
    public string[] Calls() => File.Exists(CallsLog) ? File.ReadAllLines(CallsLog) : [];

    public string[] CallsOf(string method, string volume) =>
        Calls().Where(c => c.StartsWith($"{method} {volume}", StringComparison.Ordinal)).ToArray();

    private string CallsLog => Path.Combine(Root, ".calls.log");

    /// <summary>The plugin's own count of a volume's current mounts (from its Get answer's Status, via the daemon).</summary>
    public static int MountsIn(JsonElement volume) => volume.GetProperty("Status").GetProperty("Mounts").GetInt32();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        File.Delete(Socket);
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
