using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Distribution.Infrastructure;

/// <summary>
/// berth-registry from $BERTH_BIN_DIR on a free 127.0.0.1 port (it binds port 0 and prints the address it got), with a
/// temporary root, optionally behind token auth for one user. Disposing stops it and removes its root.
/// </summary>
public sealed partial class BerthRegistry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr;

    private BerthRegistry(Process process, string root, Uri baseUri, StringBuilder stderr)
    {
        _process = process;
        Root = root;
        BaseUri = baseUri;
        _stderr = stderr;
    }

    public string Root { get; }
    public Uri BaseUri { get; }

    /// <summary>The registry as references name it: <c>127.0.0.1:PORT</c>.</summary>
    public string Host => $"{BaseUri.Host}:{BaseUri.Port}";

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public static Task<BerthRegistry> StartAsync() => StartAsync(configYaml: null);

    /// <summary>Token auth (Docker Hub's flow) where <paramref name="user"/> may push and pull everything, anyone else nothing.</summary>
    public static async Task<BerthRegistry> StartWithTokenAuthAsync(string user, string password)
    {
        string hash = await HashPasswordAsync(user, password);
        return await StartAsync(root => $"""
            version: 0.1
            auth:
              token:
                service: berth-test
                issuer: berth-test-issuer
                users: {WriteFile(root, "users", hash)}
                expiration: 5m
                access:
                  - account: {user}
                    name: "*"
                    actions: [pull, push]
            """);
    }

    private static async Task<BerthRegistry> StartAsync(Func<string, string>? configYaml)
    {
        string root = Directory.CreateTempSubdirectory("berth-breg-").FullName;
        var start = new ProcessStartInfo(Path.Combine(BerthBinaries.Dir, "berth-registry"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "serve", "--addr", "127.0.0.1:0", "--root", Path.Combine(root, "data") }) start.ArgumentList.Add(arg);
        if (configYaml is not null)
        {
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(WriteFile(root, "config.yml", configYaml(root)));
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start berth-registry");
        var stderr = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { listening.TrySetException(new InvalidOperationException("berth-registry exited: " + stderr)); return; }
            lock (stderr) stderr.AppendLine(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            return new BerthRegistry(process, root, await listening.Task.WaitAsync(TimeSpan.FromSeconds(60)), stderr);
        }
        catch
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
            throw;
        }
    }

    private static string WriteFile(string root, string name, string text)
    {
        string path = Path.Combine(root, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A bcrypt htpasswd line, made by htpasswd (apache2-utils) as the docker-registry tests do.</summary>
    private static async Task<string> HashPasswordAsync(string user, string password)
    {
        var tool = Process.Start(new ProcessStartInfo("htpasswd", ["-Bbn", user, password]) { RedirectStandardOutput = true, UseShellExecute = false })
                   ?? throw new InvalidOperationException("cannot run htpasswd (apt-get install apache2-utils)");
        string line = await tool.StandardOutput.ReadToEndAsync();
        await tool.WaitForExitAsync();
        return line.Trim() + "\n";
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

    [GeneratedRegex(@"listening on (https?://[0-9.]+:[0-9]+)")]
    private static partial Regex ListeningLine();
}
