namespace Berth.Cli.Copy;

/// <summary>docker cp's view of paths on this machine: made absolute (keeping "/" and "/." suffixes), then resolved.</summary>
public static class HostPaths
{
    /// <summary>An absolute path that keeps the trailing "/" or "/." the user typed (they change what is copied).</summary>
    public static string Absolute(string path)
    {
        string full = Path.GetFullPath(path);
        if (CopyPath.SpecifiesCurrentDirectory(path) && !CopyPath.SpecifiesCurrentDirectory(full)) return full.TrimEnd('/') + "/.";
        if (CopyPath.HasTrailingSeparator(path) && !CopyPath.HasTrailingSeparator(full)) return full + "/";
        return full;
    }

    /// <summary>The local source of a copy into a container; with <paramref name="followLink"/> a symlink names its target.</summary>
    public static CopySource Source(string path, bool followLink)
    {
        string resolved = path, rebase = "";
        var named = new FileInfo(path.TrimEnd('/'));
        if (followLink && named.LinkTarget is not null)
        {
            var target = named.ResolveLinkTarget(returnFinalTarget: true) ?? throw new CopyException($"lstat {path}: no such file or directory");
            (resolved, rebase) = CopyPath.RebaseFor(path, target.FullName);
        }
        // A symlink is a directory here only when the path asserts one ("link/", "link/."), as the kernel then follows it.
        string bare = WithoutSuffix(resolved);
        uint mode = NativeFiles.Mode(bare, followLinks: CopyPath.AssertsDirectory(resolved)) ?? NativeFiles.Mode(bare, followLinks: false)
                    ?? throw new CopyException($"lstat {CopyPath.Clean(resolved)}: no such file or directory");
        return new CopySource(resolved, (mode & NativeFiles.TypeMask) == NativeFiles.Directory, rebase);
    }

    /// <summary>
    /// The local destination of a copy out of a container (docker's CopyInfoDestinationPath): symlinks are followed
    /// to what they name; a destination that does not exist yet needs an existing parent directory.
    /// </summary>
    public static CopyDestination Destination(string path)
    {
        string current = path;
        for (int links = 0; ; links++)
        {
            var info = Lstat(current);
            if (info is null) break;
            if (info.LinkTarget is null)
                return new CopyDestination(current, true, info.Attributes.HasFlag(FileAttributes.Directory));
            if (links >= 10) throw new CopyException($"too many symlinks in {path}");
            current = CopyPath.ResolveLinkTarget(current, info.LinkTarget);
        }
        var (parent, _) = CopyPath.SplitDirectoryEntry(current);
        if (!Directory.Exists(parent))
            throw new CopyException(File.Exists(parent) ? "not a directory" : $"stat {parent}: no such file or directory");
        return new CopyDestination(current, false, false);
    }

    /// <summary>docker's ValidateOutputPath: the directory a file is written into must exist, and be a directory.</summary>
    public static void ValidateOutputPath(string path)
    {
        string directory = CopyPath.SplitDirectoryEntry(CopyPath.Clean(path)).Directory;
        if (directory is not ("" or "."))
        {
            if (!Directory.Exists(directory))
            {
                if (File.Exists(directory)) throw new CopyException($"invalid output path: \"{directory}\" must be a directory");
                throw new CopyException($"invalid output path: directory \"{directory}\" does not exist");
            }
        }
        uint? mode = NativeFiles.Mode(path, followLinks: true);
        if (mode is { } m && (m & NativeFiles.TypeMask) is not (NativeFiles.Directory or NativeFiles.Regular))
            throw new CopyException($"invalid output path: \"{path}\" must be a directory or a regular file");
    }

    /// <summary>What is at <paramref name="path"/> itself (a symlink is not followed), or null.</summary>
    public static FileSystemInfo? Lstat(string path)
    {
        string trimmed = WithoutSuffix(path);
        FileSystemInfo file = new FileInfo(trimmed);
        if (!file.Exists && file.LinkTarget is null)
        {
            var directory = new DirectoryInfo(trimmed);
            return directory.Exists ? directory : null;
        }
        return file;
    }

    /// <summary>The path without the trailing "/" or "/." that only says how to copy it.</summary>
    private static string WithoutSuffix(string path)
    {
        string trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        if (trimmed.EndsWith("/.", StringComparison.Ordinal)) trimmed = trimmed[..^2].Length == 0 ? "/" : trimmed[..^2];
        return trimmed;
    }
}
