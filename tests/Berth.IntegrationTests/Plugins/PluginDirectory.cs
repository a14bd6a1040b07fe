using System.Net.Sockets;
using System.Text.Json.Nodes;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Plugins;

/// <summary>
/// A plugin directory as `docker plugin create` takes it: config.json and a rootfs holding berth-test-plugin (a
/// volume plugin) with the libraries ldd lists for it and the loader, serving tp.sock and keeping volumes in /data.
/// </summary>
public static class PluginDirectory
{
    public const string Socket = "tp.sock";

    public static async Task<string> CreateAsync(string parent, JsonObject? extraConfig = null)
    {
        string dir = Path.Combine(parent, "plugin-" + Guid.NewGuid().ToString("N")[..8]);
        string rootfs = Path.Combine(dir, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "data"));
        File.Copy(BerthBinaries.TestPlugin, Path.Combine(rootfs, "berth-test-plugin"));
        var ldd = (await Commands.RunAsync("ldd", [BerthBinaries.TestPlugin])).EnsureSuccess();
        foreach (string line in ldd.Stdout.Split('\n'))
        {
            string? library = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(part => part.StartsWith('/'));
            if (library is null) continue;
            string target = Path.Combine(rootfs, library.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(library, target, overwrite: true); // the file a symlink names, not the link
        }
        var config = new JsonObject
        {
            ["Description"] = "berth test volume plugin",
            ["Documentation"] = "https://example.com/berth-test-plugin",
            ["Interface"] = new JsonObject { ["Types"] = new JsonArray("docker.volumedriver/1.0"), ["Socket"] = Socket },
            ["Entrypoint"] = new JsonArray("/berth-test-plugin", "--socket", "/run/docker/plugins/" + Socket, "--root", "/data"),
            ["PropagatedMount"] = "/data",
            ["Network"] = new JsonObject { ["Type"] = "none" },
            ["Env"] = new JsonArray(
                new JsonObject { ["Name"] = "DEBUG", ["Description"] = "debug output", ["Settable"] = new JsonArray("value"), ["Value"] = "0" },
                new JsonObject { ["Name"] = "FIXED", ["Value"] = "x" }),
            ["Linux"] = new JsonObject { ["Capabilities"] = new JsonArray("CAP_SYS_ADMIN") },
        };
        foreach (var (key, value) in extraConfig ?? []) config[key] = value?.DeepClone();
        await File.WriteAllTextAsync(Path.Combine(dir, "config.json"), config.ToJsonString());
        return dir;
    }

    /// <summary>Asks the plugin's socket what it implements (Plugin.Activate), as berthd's plugin client does.</summary>
    public static async Task<string> ActivateAsync(string socketPath)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri("http://plugin"), Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.PostAsync("/Plugin.Activate", new StringContent("{}"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>`docker plugin enable`; when it fails, the plugin's own logs (shim, runc, output) say why.</summary>
    public static async Task<CommandResult> EnableAsync(BerthDaemon daemon, string name)
    {
        var result = await daemon.DockerAsync("plugin", "enable", name);
        if (result.ExitCode == 0) return result;
        var logs = Directory.Exists(Path.Combine(daemon.ExecRoot, "plugin-bundles"))
            ? Directory.EnumerateFiles(Path.Combine(daemon.ExecRoot, "plugin-bundles"), "*.log", SearchOption.AllDirectories).Select(f => $"{f}:\n{File.ReadAllText(f)}")
            : [];
        throw new Xunit.Sdk.XunitException($"enable {name} failed: {result}\n{string.Join("\n", logs)}");
    }
}
