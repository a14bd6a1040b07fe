using System.Text;
using Berth.Api.BuildContext.Remote;

namespace Berth.Cli.Build;

/// <summary>
/// Where a build's context comes from, decided as docker's client does: "-" is stdin; an existing path is a directory
/// context; a git repository is cloned and an http(s) URL downloaded here, by the client, and sent like a local context.
/// </summary>
public static class ContextSource
{
    /// <param name="progress">Where a download's progress line goes (docker keeps it aside with --quiet).</param>
    public static async Task<PreparedContext> PrepareAsync(string source, string? dockerfileFlag, Stream stdin,
        TextWriter progress, bool terminal, CancellationToken cancellationToken)
    {
        bool dockerfileFromStdin = dockerfileFlag == "-";
        if (source == "-")
        {
            if (dockerfileFromStdin)
                throw new CliException("invalid argument: can't use stdin for both build context and dockerfile");
            var (write, dockerfile) = await StdinContext.OpenAsync(stdin, dockerfileFlag, cancellationToken);
            return new PreparedContext(write, dockerfile);
        }
        if (!Path.Exists(source))
        {
            return RemoteContextUrl.Classify(source) switch
            {
                RemoteContextKind.Git => await RemoteGitContext.PrepareAsync(source, dockerfileFlag, stdin, cancellationToken),
                RemoteContextKind.Url => await RemoteUrlContext.PrepareAsync(source, dockerfileFlag, progress, terminal, cancellationToken),
                _ => throw new CliException($"unable to prepare context: path \"{source}\" not found"),
            };
        }
        var (archive, name) = await PrepareDirectoryAsync(source, dockerfileFlag, stdin, cancellationToken);
        return new PreparedContext(archive, name);
    }

    /// <summary>A directory context with -f as docker's client takes it ("-": the Dockerfile is read from stdin).</summary>
    public static async Task<(Func<Stream, CancellationToken, Task> Write, string Dockerfile)> PrepareDirectoryAsync(string directory,
        string? dockerfileFlag, Stream stdin, CancellationToken cancellationToken)
    {
        var local = LocalContext.Resolve(directory, dockerfileFlag);
        byte[]? stdinDockerfile = dockerfileFlag == "-" ? await ReadAllAsync(stdin, cancellationToken) : null;
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
