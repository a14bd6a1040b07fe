namespace Berth.Cli.Build;

/// <summary>
/// Where a build's context comes from, decided as docker's client does: "-" is stdin; an existing path is a directory
/// context; URLs and git repositories are not fetched by berth (docker's client downloads or clones them itself).
/// </summary>
public static class ContextSource
{
    /// <summary>The writer of the context tar and the Dockerfile name for the daemon (null: its default).</summary>
    public static async Task<(Func<Stream, CancellationToken, Task> Write, string? Dockerfile)> PrepareAsync(string source,
        string? dockerfileFlag, Stream stdin, CancellationToken cancellationToken)
    {
        bool dockerfileFromStdin = dockerfileFlag == "-";
        if (source == "-")
        {
            if (dockerfileFromStdin)
                throw new CliException("invalid argument: can't use stdin for both build context and dockerfile");
            return await StdinContext.OpenAsync(stdin, dockerfileFlag, cancellationToken);
        }
        if (!Path.Exists(source))
        {
            if (IsRemote(source))
                throw new CliException($"unable to prepare context: berth builds from a local directory or \"-\" only, not from a URL or git repository: {source}");
            throw new CliException($"unable to prepare context: path \"{source}\" not found");
        }
        var local = LocalContext.Resolve(source, dockerfileFlag);
        byte[]? outsideDockerfile = null;
        if (dockerfileFromStdin)
            outsideDockerfile = await ReadAllAsync(stdin, cancellationToken);
        else if (local.OutsideDockerfile is { } outside)
            outsideDockerfile = ReadDockerfile(outside);
        var (archive, dockerfile) = DirectoryContext.Prepare(local, outsideDockerfile);
        return (archive.WriteAsync, dockerfile);
    }

    /// <summary>docker's IsURL and IsGitURL: what it would download or clone.</summary>
    public static bool IsRemote(string source)
        => source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal)
           || source.StartsWith("git://", StringComparison.Ordinal) || source.StartsWith("git@", StringComparison.Ordinal)
           || source.StartsWith("github.com/", StringComparison.Ordinal);

    private static byte[] ReadDockerfile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"unable to open Dockerfile: {e.Message}");
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
