namespace Berth.Cli.Copy;

/// <summary>What is copied: its path (symlinks already resolved as asked), whether it is a directory, and the name
/// it must carry when that differs from the resolved path's last component.</summary>
public sealed record CopySource(string Path, bool IsDirectory, string RebaseName = "")
{
    /// <summary>The archive root's entry name as the side that reads the source writes it: the resolved last component.</summary>
    public string ArchiveRoot => CopyPath.SplitDirectoryEntry(Path).Entry;
}

/// <summary>Where it goes: the path after following symlinks, whether something is there and whether that is a directory.</summary>
public sealed record CopyDestination(string Path, bool Exists, bool IsDirectory);

/// <summary>
/// How a copy lands (docker's PrepareArchiveCopy): the directory the archive is extracted into, and the name its root
/// entry must have there ("." for "the contents of").
/// </summary>
public sealed record CopyPlan(string ExtractDirectory, string RootName)
{
    public static CopyPlan Prepare(CopySource source, CopyDestination destination)
    {
        if (destination.Exists && destination.IsDirectory)
            return new CopyPlan(destination.Path, source.RebaseName.Length > 0 ? source.RebaseName : source.ArchiveRoot);
        if (destination.Exists && source.IsDirectory) throw new CopyException("cannot copy directory");
        if (!destination.Exists && !source.IsDirectory && CopyPath.AssertsDirectory(destination.Path)) throw new CopyException("no such directory");
        // The destination is an existing file, or nothing yet: extract beside it, the root taking its name.
        var (directory, entry) = CopyPath.SplitDirectoryEntry(destination.Path);
        return new CopyPlan(directory, entry);
    }
}

/// <summary>A copy that cannot be made, with docker's message (printed as is).</summary>
public sealed class CopyException(string message) : Exception(message);
