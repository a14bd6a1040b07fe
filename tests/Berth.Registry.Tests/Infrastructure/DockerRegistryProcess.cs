using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Berth.Registry.Tests.Infrastructure;

/// <summary>Debian's docker-registry 2.8.2 (the CNCF distribution registry) on a free 127.0.0.1 port, deletes enabled.</summary>
public sealed class DockerRegistryProcess : IRegistryUnderTest
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;

    private DockerRegistryProcess(Process process, string root, int port)
    {
        _process = process;
        Root = root;
        BaseUri = new Uri($"http://127.0.0.1:{port}");
    }

    public string Name => "docker-registry";
    public Uri BaseUri { get; }
    public string HostPort => $"{BaseUri.Host}:{BaseUri.Port}";
    public string Root { get; }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<DockerRegistryProcess> StartAsync()
    {
        if (!File.Exists(Binary)) throw new Xunit.Sdk.XunitException($"{Binary} is not installed (Debian package docker-registry)");
        string root = RepoPaths.NewTempDirectory("docker-registry");
        int port = FreePort();
        string config = Path.Combine(root, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {root}/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/v2/");
                if (response.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
        return new DockerRegistryProcess(process, root, port);
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
