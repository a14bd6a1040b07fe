using Berth.Api.BuildContext.Remote;

namespace Berth.Cli.Build;

/// <summary>
/// <c>berth build GIT-URL</c>: as docker's client does, the repository is checked out into a temporary directory
/// (the fragment's ref and subdirectory), which is then sent as a directory context. -f is relative to that context.
/// </summary>
public static class RemoteGitContext
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(60);

    public static async Task<PreparedContext> PrepareAsync(string url, string? dockerfileFlag, Stream stdin, CancellationToken cancellationToken)
    {
        string temporary = Directory.CreateTempSubdirectory("docker-build-git").FullName;
        try
        {
            string root;
            try
            {
                using var http = new HttpClient();
                root = await GitCheckout.CloneAsync(GitRepository.Parse(url), temporary, isolateConfig: false, http, Timeout, cancellationToken);
            }
            catch (RemoteContextException e)
            {
                throw new CliException($"unable to prepare context: unable to 'git clone' to temporary context directory: {e.Message}");
            }
            var (write, dockerfile) = await ContextSource.PrepareDirectoryAsync(root, DockerfileInClone(root, dockerfileFlag), stdin, cancellationToken);
            return new PreparedContext(write, dockerfile, temporary);
        }
        catch
        {
            new PreparedContext((_, _) => Task.CompletedTask, null, temporary).Dispose();
            throw;
        }
    }

    /// <summary>-f taken inside the checkout; one that leads out of it is refused, as docker refuses it.</summary>
    private static string? DockerfileInClone(string root, string? dockerfileFlag)
    {
        if (string.IsNullOrEmpty(dockerfileFlag) || dockerfileFlag == "-") return dockerfileFlag;
        string path = Path.GetFullPath(dockerfileFlag, root);
        string relative = Path.GetRelativePath(root, path);
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal))
            throw new CliException($"unable to prepare context: the Dockerfile ({dockerfileFlag}) must be within the build context");
        return path;
    }
}
