using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Berth.IntegrationTests.Distribution.Infrastructure;

/// <summary>
/// Debian's docker-registry 2.8.2 (the reference registry implementation) on 127.0.0.1 with a temporary root, optionally
/// behind htpasswd basic auth. Disposing stops it and removes its root.
/// </summary>
public sealed class DockerRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;

    private DockerRegistry(Process process, string root, int port)
    {
        _process = process;
        Root = root;
        Port = port;
    }

    public string Root { get; }
    public int Port { get; }

    /// <summary>The registry as references name it: <c>127.0.0.1:PORT</c>.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public static async Task<DockerRegistry> StartAsync(string? user = null, string? password = null)
    {
        if (!File.Exists(Binary)) throw new InvalidOperationException($"{Binary} is missing: apt-get install docker-registry");
        string root = Directory.CreateTempSubdirectory("berth-dreg-").FullName;
        int port = FreePort();
        string auth = "";
        if (user is not null)
        {
            string htpasswd = Path.Combine(root, "htpasswd");
            var tool = Process.Start(new ProcessStartInfo("htpasswd", ["-Bbn", user, password ?? ""]) { RedirectStandardOutput = true, UseShellExecute = false })
                       ?? throw new InvalidOperationException("cannot run htpasswd (apt-get install apache2-utils)");
            string line = await tool.StandardOutput.ReadToEndAsync();
            await tool.WaitForExitAsync();
            await File.WriteAllTextAsync(htpasswd, line);
            auth = $"auth:\n  htpasswd:\n    realm: berth-test\n    path: {htpasswd}\n";
        }
        string config = Path.Combine(root, "config.yml");
        await File.WriteAllTextAsync(config,
            $"version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {root}/data\n  delete:\n    enabled: true\n" +
            $"http:\n  addr: 127.0.0.1:{port}\n{auth}");
        var info = new ProcessStartInfo("/bin/sh", ["-c", $"exec {Binary} serve {config} >>{root}/registry.log 2>&1 </dev/null"]) { UseShellExecute = false };
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start docker-registry");
        var registry = new DockerRegistry(process, root, port);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException("docker-registry exited: " + registry.Log());
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/v2/");
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return registry;
            }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        await registry.DisposeAsync();
        throw new TimeoutException("docker-registry did not answer");
    }

    public string Log() => File.Exists(Path.Combine(Root, "registry.log")) ? File.ReadAllText(Path.Combine(Root, "registry.log")) : "";

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
