using System.Text;

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
        byte[]? stdinDockerfile = dockerfileFromStdin ? await ReadAllAsync(stdin, cancellationToken) : null;
        return Prepare(local, stdinDockerfile);
    }

    /// <summary>
    /// A directory context as compose names its parts (<see cref="Berth.Compose.Execution.BuildContextPreparer"/>):
    /// the Dockerfile relative to the context rather than to the current directory, or its text inline.
    /// </summary>
    public static (Func<Stream, CancellationToken, Task> Write, string Dockerfile) PrepareDirectory(string contextDirectory,
        string? dockerfile, string? inlineDockerfile)
    {
        if (!Path.Exists(contextDirectory))
            throw new CliException($"unable to prepare context: path \"{contextDirectory}\" not found");
        if (inlineDockerfile is not null)
            return Prepare(LocalContext.Resolve(contextDirectory, "-"), Encoding.UTF8.GetBytes(inlineDockerfile));
        var dockerfilePath = dockerfile is null ? null : Path.GetFullPath(dockerfile, contextDirectory);
        return Prepare(LocalContext.Resolve(contextDirectory, dockerfilePath), null);
    }

    /// <summary>The tar of a resolved directory context; a Dockerfile from outside it is read here unless already given.</summary>
    private static (Func<Stream, CancellationToken, Task> Write, string Dockerfile) Prepare(LocalContext local, byte[]? givenDockerfile)
    {
        var outsideDockerfile = givenDockerfile ?? (local.OutsideDockerfile is { } outside ? ReadDockerfile(outside) : null);
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
