namespace Berth.Cli.Build;

public enum ContextEntryKind
{
    File,
    Directory,
    Symlink,
    Fifo,
}

/// <summary>
/// One entry of a directory context: its name in the tar (relative, forward slashes) and the file it comes from.
/// <paramref name="ReplacementContent"/>, when set, is sent instead of the file's bytes (the .dockerignore that must
/// also name a Dockerfile the client added).
/// </summary>
public sealed record ContextEntry(string Name, string FullPath, ContextEntryKind Kind, byte[]? ReplacementContent = null);

/// <summary>A file the client adds to the context that is not on disk (a Dockerfile from stdin or from outside).</summary>
public sealed record GeneratedEntry(string Name, byte[] Content, UnixFileMode Mode, DateTimeOffset ModificationTime);
