using Berth.Oci.Errors;
using Berth.Oci.Native;

namespace Berth.Oci.Layers;

/// <summary>
/// The directory tree being extracted into. Guarantees that every parent directory of a path it hands out is a real
/// directory inside the root: missing ones are created (0755), a file in the way is replaced (a later layer may turn
/// a file into a directory), and a symlink in the way is refused, so no entry is ever written through a link that
/// the archive itself planted. Verified directories are remembered until something replaces them.
/// </summary>
internal sealed class RootedTree(string root, string rootDescription)
{
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "" };

    public string Root { get; } = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    public string RootDescription { get; } = rootDescription;

    public string FullPath(string relative) => relative.Length == 0 ? Root : Root + "/" + relative;

    /// <summary>Makes the parent directories of <paramref name="relative"/> real directories; returns its full path.</summary>
    public string PrepareParents(string relative, string entryName)
    {
        EnsureDirectory(TarSafety.ParentOf(relative), entryName, create: true);
        return FullPath(relative);
    }

    /// <summary>Makes <paramref name="relative"/> itself a real directory, creating it if missing.</summary>
    public string PrepareDirectory(string relative, string entryName)
    {
        EnsureDirectory(relative, entryName, create: true);
        return FullPath(relative);
    }

    /// <summary>
    /// The full path of an existing hard link target: it must be inside the root, reached without symlinks,
    /// and not be a directory.
    /// </summary>
    public string ResolveLinkTarget(string linkName, string entryName)
    {
        string relative;
        try
        {
            relative = TarSafety.CleanName(linkName, RootDescription);
        }
        catch (BerthException)
        {
            throw BerthException.Invalid($"invalid tar header: hard link {TarSafety.Quote(entryName)} to {TarSafety.Quote(linkName)} is outside of {RootDescription}");
        }
        EnsureDirectory(TarSafety.ParentOf(relative), entryName, create: false);
        string full = FullPath(relative);
        var status = PosixFiles.TryLstat(full);
        if (status is null || relative.Length == 0)
            throw BerthException.Invalid($"Error processing tar file: link {TarSafety.Quote(linkName)} {TarSafety.Quote(entryName)}: no such file or directory");
        if (status.Value.IsDirectory)
            throw BerthException.Invalid($"invalid tar header: hard link {TarSafety.Quote(entryName)} points to directory {TarSafety.Quote(linkName)}");
        return full;
    }

    /// <summary>Removes whatever is at <paramref name="relative"/> (recursively for a directory).</summary>
    public void Remove(string relative, FileStatus status)
    {
        string full = FullPath(relative);
        if (status.IsDirectory)
        {
            Directory.Delete(full, recursive: true);
            Forget(relative);
        }
        else
        {
            File.Delete(full);
        }
    }

    public void RememberDirectory(string relative) => _directories.Add(relative);

    private void Forget(string relative)
    {
        string prefix = relative + "/";
        _directories.RemoveWhere(d => d == relative || d.StartsWith(prefix, StringComparison.Ordinal));
    }

    private void EnsureDirectory(string relative, string entryName, bool create)
    {
        if (_directories.Contains(relative)) return;
        int next = 0;
        while (next <= relative.Length)
        {
            int slash = relative.IndexOf('/', next);
            string prefix = slash < 0 ? relative : relative[..slash];
            next = slash < 0 ? relative.Length + 1 : slash + 1;
            if (_directories.Contains(prefix)) continue;

            string full = FullPath(prefix);
            var status = PosixFiles.TryLstat(full);
            if (status is { IsSymlink: true })
                throw BerthException.Invalid($"invalid tar header: {TarSafety.Quote(entryName)} goes through symlink {TarSafety.Quote(prefix)}");
            if (status is not { IsDirectory: true })
            {
                if (!create)
                    throw BerthException.Invalid($"Error processing tar file: {TarSafety.Quote(entryName)}: {TarSafety.Quote(prefix)} is not a directory");
                if (status is not null) File.Delete(full);
                Directory.CreateDirectory(full);
                PosixFiles.ChangeMode(full, 0x1ed); // 0755, whatever the umask
            }
            _directories.Add(prefix);
        }
    }
}
