using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Volumes;

/// <summary>
/// berth-test-plugin running on the host as a legacy plugin: its socket is <see cref="PluginDir"/>/NAME.sock with a
/// name unique to the test, its volumes are directories of its own root. Disposing stops it and removes its socket
/// and root. The directory is this test run's own rather than Docker's /run/docker/plugins: a daemon lists the
/// volumes of every plugin it finds, so the daemons of other tests must not find these (they would list volumes
/// appearing and vanishing); the plugin tests' daemons are started with <see cref="DaemonArgs"/>.
/// </summary>
public sealed class TestVolumePlugin : IAsyncDisposable
{
    public static readonly string PluginDir = "/run/bt-plugins-" + Environment.ProcessId;

    /// <summary>berthd flags that make a daemon find this run's test plugins.</summary>
    public static IReadOnlyList<string> DaemonArgs => ["--plugin-dir", PluginDir];
    private TestPluginProcess? _process;

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
        _process?.Dispose();
        _process = await TestPluginProcess.StartAsync(Socket, "--root", Root);
    }

    /// <summary>SIGTERM: the plugin removes its socket and exits (its volumes stay in its root).</summary>
    public Task StopAsync() => _process?.StopAsync() ?? Task.CompletedTask;

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
        try
        {
            Directory.Delete(PluginDir); // once the run's last plugin is gone
        }
        catch (IOException)
        {
            // Another test's plugin is still there.
        }
    }
}
