using System.Diagnostics;
using System.Text.Json.Nodes;
using Berth.Client;

namespace Berth.Cli.Registry;

/// <summary>
/// A docker-credential-&lt;name&gt; program, spoken to as the docker CLI does: <c>get</c> (server URL on stdin, JSON
/// {ServerURL, Username, Secret} on stdout), <c>store</c> (that JSON on stdin) and <c>erase</c> (server URL on stdin).
/// </summary>
public sealed class CredentialHelper(string name)
{
    /// <summary>The helpers' own text for a server they hold nothing for.</summary>
    private const string NotFound = "credentials not found in native keychain";

    public string Program => "docker-credential-" + name;

    public async Task<Credentials?> GetAsync(string server, CancellationToken cancellationToken)
    {
        var (code, stdout) = await RunAsync("get", server, cancellationToken);
        if (code != 0)
        {
            if (stdout.Contains(NotFound, StringComparison.Ordinal)) return null;
            throw new CliException($"error getting credentials - err: exit status {code}, out: `{stdout.Trim()}`");
        }
        if (Json.Parse(System.Text.Encoding.UTF8.GetBytes(stdout)) is not JsonObject reply) return null;
        string username = reply.Str("Username"), secret = reply.Str("Secret");
        if (username.Length == 0 && secret.Length == 0) return null;
        // Helpers mark an identity token with the user name "<token>", as docker does.
        return username == "<token>" ? new Credentials(server, "", "", secret) : new Credentials(server, username, secret);
    }

    /// <summary>The servers the helper holds credentials for (<c>list</c> answers a JSON object: server to user name).</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var (code, stdout) = await RunAsync("list", "unused", cancellationToken);
        if (code != 0) throw new CliException($"error listing credentials - err: exit status {code}, out: `{stdout.Trim()}`");
        return Json.Parse(System.Text.Encoding.UTF8.GetBytes(stdout)) is JsonObject servers ? servers.Select(pair => pair.Key).ToList() : [];
    }

    public async Task StoreAsync(Credentials credentials, CancellationToken cancellationToken)
    {
        bool token = !string.IsNullOrEmpty(credentials.IdentityToken);
        var body = new JsonObject
        {
            ["ServerURL"] = credentials.ServerAddress,
            ["Username"] = token ? "<token>" : credentials.Username,
            ["Secret"] = token ? credentials.IdentityToken : credentials.Secret,
        };
        var (code, stdout) = await RunAsync("store", Json.Serialize(body), cancellationToken);
        if (code != 0) throw new CliException($"error storing credentials - err: exit status {code}, out: `{stdout.Trim()}`");
    }

    public async Task EraseAsync(string server, CancellationToken cancellationToken)
    {
        var (code, stdout) = await RunAsync("erase", server, cancellationToken);
        if (code != 0 && !stdout.Contains(NotFound, StringComparison.Ordinal))
            throw new CliException($"error erasing credentials - err: exit status {code}, out: `{stdout.Trim()}`");
    }

    private async Task<(int Code, string Stdout)> RunAsync(string verb, string input, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Program, [verb])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new CliException($"cannot run {Program}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new CliException($"error getting credentials - err: exec: \"{Program}\": executable file not found in $PATH, out: ``");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            await stderr;
            return (process.ExitCode, await stdout);
        }
    }
}
