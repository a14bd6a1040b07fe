using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Build.Remote;

/// <summary>
/// `git daemon` on 127.0.0.1 serving the repositories under a temporary directory; <see cref="Url"/> names one of them.
/// A repository is made by committing files, so a test can build from a branch and a subdirectory.
/// </summary>
internal sealed class LoopbackGitServer : IAsyncDisposable
{
    private readonly Process _daemon;

    private LoopbackGitServer(string root, int port, Process daemon)
    {
        Root = root;
        Port = port;
        _daemon = daemon;
    }

    public string Root { get; }

    public int Port { get; }

    public string Url(string repository) => $"git://127.0.0.1:{Port}/{repository}";

    public static async Task<LoopbackGitServer> StartAsync()
    {
        string root = Directory.CreateTempSubdirectory("berth-git-").FullName;
        int port = LoopbackHttpServer.FreePort();
        var start = new ProcessStartInfo("git")
        {
            ArgumentList = { "daemon", "--listen=127.0.0.1", $"--port={port}", "--export-all", $"--base-path={root}", "--reuseaddr", root },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var daemon = Process.Start(start)!;
        var server = new LoopbackGitServer(root, port, daemon);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Commits <paramref name="files"/> on <paramref name="branch"/> of repository <paramref name="name"/> (made when new).</summary>
    public async Task CommitAsync(string name, string branch, IReadOnlyDictionary<string, string> files)
    {
        string path = Path.Combine(Root, name);
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path);
            await GitAsync(path, "init", "-q", "-b", branch);
        }
        else
        {
            await GitAsync(path, "checkout", "-q", "-B", branch);
        }
        foreach (var (relative, content) in files)
        {
            string file = Path.Combine(path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, content);
        }
        await GitAsync(path, "add", "-A");
        await GitAsync(path, "-c", "user.name=test", "-c", "user.email=test@example.test", "commit", "-q", "-m", "files");
    }

    private static async Task GitAsync(string directory, params string[] args)
        => (await Commands.RunAsync("git", ["-C", directory, .. args])).EnsureSuccess();

    public async ValueTask DisposeAsync()
    {
        try
        {
            _daemon.Kill(entireProcessTree: true);
            await _daemon.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _daemon.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
