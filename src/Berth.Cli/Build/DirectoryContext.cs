using System.Security.Cryptography;
using System.Text;
using Berth.Api.BuildContext;

namespace Berth.Cli.Build;

/// <summary>
/// The tar of a directory context with its .dockerignore applied, and the Dockerfile name to ask the daemon for.
/// A Dockerfile from elsewhere (stdin, or a file outside the context) is added as ".dockerfile.&lt;random&gt;", and
/// that name is appended to the .dockerignore sent along, so that the daemon leaves it out of COPY and ADD
/// (docker's AddDockerfileToBuildContext).
/// </summary>
public static class DirectoryContext
{
    /// <summary>Owner-only, as docker creates the added files.</summary>
    private const UnixFileMode AddedFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <param name="outsideDockerfile">The Dockerfile's bytes when <see cref="LocalContext.DockerfileInContext"/> is null.</param>
    public static (ContextArchive Archive, string Dockerfile) Prepare(LocalContext local, byte[]? outsideDockerfile)
    {
        string ignorePath = Path.Join(local.Root, ContextWalker.DockerIgnoreFile);
        var ignore = File.Exists(ignorePath) ? DockerIgnore.Parse(ReadIgnoreFile(ignorePath)) : DockerIgnore.Empty;
        var entries = new ContextWalker(local.Root, ignore, local.DockerfileInContext).Walk();
        if (local.DockerfileInContext is { } inContext)
            return (new ContextArchive(entries, []), inContext);

        string randomName = ".dockerfile." + RandomNumberGenerator.GetHexString(20, lowercase: true);
        var now = DateTimeOffset.UtcNow;
        var generated = new List<GeneratedEntry>();
        int ignoreIndex = entries.FindIndex(e => e.Name == ContextWalker.DockerIgnoreFile && e.Kind == ContextEntryKind.File);
        if (ignoreIndex >= 0)
        {
            byte[] original = File.ReadAllBytes(entries[ignoreIndex].FullPath);
            entries[ignoreIndex] = entries[ignoreIndex] with { ReplacementContent = [.. original, .. Encoding.UTF8.GetBytes($"\n{randomName}\n")] };
        }
        else
        {
            generated.Add(new GeneratedEntry(ContextWalker.DockerIgnoreFile, Encoding.UTF8.GetBytes($".dockerignore\n{randomName}\n"), AddedFileMode, now));
        }
        generated.Add(new GeneratedEntry(randomName, outsideDockerfile ?? [], AddedFileMode, now));
        return (new ContextArchive(entries, generated), randomName);
    }

    private static string ReadIgnoreFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"error reading .dockerignore: {e.Message}");
        }
    }
}
