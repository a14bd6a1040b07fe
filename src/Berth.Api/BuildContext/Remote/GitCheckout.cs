using System.Diagnostics;
using System.Text;

namespace Berth.Api.BuildContext.Remote;

/// <summary>
/// Fetches a git build context with the <c>git</c> program, as docker does (its client for `docker build URL`, its daemon
/// for POST /build?remote=): init, add origin, fetch the one ref (shallow where the server allows it), check it out,
/// update submodules; the context is the fragment's subdirectory of the checkout. Error texts are docker's.
/// </summary>
public static class GitCheckout
{
    private const string SmartHttpContentType = "application/x-git-upload-pack-advertisement";

    /// <summary>Checks <paramref name="repository"/> out into the empty directory <paramref name="root"/>; returns the context directory.</summary>
    /// <param name="isolateConfig">The daemon's choice: the machine's and the user's git configuration are not read.</param>
    /// <param name="http">Asked whether an http(s) server speaks git's smart protocol (only that allows a shallow fetch).</param>
    public static async Task<string> CloneAsync(GitRepository repository, string root, bool isolateConfig, HttpClient http,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var token = deadline.Token;
        try
        {
            var git = new GitRunner(root, isolateConfig);
            if (await git.RunAsync(["init"], token) is { Failed: true } init)
                throw new RemoteContextException($"failed to init repo at {root}: {init.Error}");
            // An origin remote, as docker's earlier "git clone" had: it also makes the fetched branches local refs.
            if (await git.RunAsync(["remote", "add", "origin", repository.Remote], token) is { Failed: true } remote)
                throw new RemoteContextException($"failed add origin repo at {repository.Remote}: {remote.Error}");
            var fetch = new List<string> { "fetch" };
            if (await SupportsShallowAsync(repository, http, token)) fetch.AddRange(["--depth", "1"]);
            fetch.AddRange(["origin", "--", repository.Ref]);
            if (await git.RunAsync(fetch, token) is { Failed: true } fetched)
                throw new RemoteContextException($"error fetching: {fetched.Error}");
            // By name first, which works for branches; then whatever the fetch brought (a tag, a commit).
            if (await git.RunAsync(["checkout", repository.Ref], token) is { Failed: true } checkout
                && (await git.RunAsync(["checkout", "FETCH_HEAD"], token)).Failed)
                throw new RemoteContextException($"error checking out {repository.Ref}: {checkout.Error}");
            string context = ContextDirectory(root, repository.Subdirectory);
            if (await git.RunAsync(["submodule", "update", "--init", "--recursive", "--depth=1"], token) is { Failed: true } submodules)
                throw new RemoteContextException($"error initializing submodules: {submodules.Error}");
            return context;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RemoteContextException($"error fetching: git did not finish within {timeout.TotalMinutes:0} minutes");
        }
    }

    /// <summary>The subdirectory, with its symlinks followed but never out of the checkout.</summary>
    private static string ContextDirectory(string root, string subdirectory)
    {
        if (subdirectory.Length == 0) return root;
        string resolved = ResolveInside(root, subdirectory)
            ?? throw new RemoteContextException($"error setting git context, \"{subdirectory}\" not within git root: {root}");
        if (File.Exists(resolved))
            throw new RemoteContextException($"error setting git context, not a directory: {resolved}");
        if (!Directory.Exists(resolved))
            throw new RemoteContextException($"stat {resolved}: no such file or directory");
        return resolved;
    }

    /// <summary>Walks <paramref name="relative"/> one name at a time, following links; null when it leaves <paramref name="root"/>.</summary>
    private static string? ResolveInside(string root, string relative)
    {
        root = Path.TrimEndingDirectorySeparator(root);
        var pending = new Stack<string>(relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        string current = root;
        for (int links = 0; pending.TryPop(out var name);)
        {
            if (name == ".") continue;
            if (name == "..")
            {
                if (current == root) return null;
                current = Path.GetDirectoryName(current)!;
                continue;
            }
            string next = Path.Join(current, name);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > 40 || target.StartsWith('/')) return null; // a loop, or a link to the machine's own files
                foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(part);
                continue;
            }
            current = next;
        }
        return current;
    }

    /// <summary>
    /// Every transport but http(s) allows --depth; an http(s) server only when it is a "smart" one, which answers the
    /// upload-pack service query with its advertisement.
    /// </summary>
    private static async Task<bool> SupportsShallowAsync(GitRepository repository, HttpClient http, CancellationToken cancellationToken)
    {
        if (repository.Scheme is not ("http" or "https")) return true;
        string serviceUrl = repository.Remote + "/info/refs?service=git-upload-pack";
        foreach (var method in new[] { HttpMethod.Head, HttpMethod.Get })
        {
            try
            {
                using var request = new HttpRequestMessage(method, serviceUrl);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.IsSuccessStatusCode)
                    return response.Content.Headers.ContentType?.MediaType == SmartHttpContentType;
            }
            catch (HttpRequestException)
            {
                // The fetch itself will say what is wrong with the server.
            }
        }
        return false;
    }

    private sealed record GitResult(int ExitCode, string Output)
    {
        public bool Failed => ExitCode != 0;

        /// <summary>Go's wrapping of CombinedOutput's failure: the output, then the exit status.</summary>
        public string Error => $"{Output}: exit status {ExitCode}";
    }

    private sealed class GitRunner(string directory, bool isolateConfig)
    {
        public async Task<GitResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo("git")
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            // A repository must not pull in files of this machine as "submodules".
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("protocol.file.allow=never");
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            start.Environment["GIT_PROTOCOL_FROM_USER"] = "0";
            start.Environment["GIT_TERMINAL_PROMPT"] = "0"; // nobody is there to type a password
            if (isolateConfig)
            {
                start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
                start.Environment["HOME"] = "/dev/null";
            }
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new RemoteContextException("exec: \"git\": could not be started");
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new RemoteContextException("exec: \"git\": executable file not found in $PATH");
            }
            using (process)
            {
                process.StandardInput.Close();
                var output = new StringBuilder();
                var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
                try
                {
                    await process.WaitForExitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw;
                }
                output.Append(await stdout).Append(await stderr);
                return new GitResult(process.ExitCode, output.ToString());
            }
        }
    }
}
