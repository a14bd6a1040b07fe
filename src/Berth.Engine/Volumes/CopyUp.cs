using Berth.Oci.Native;

namespace Berth.Engine.Volumes;

/// <summary>
/// Docker's copy-up: the first time an empty volume is mounted over a directory of the image, the image's files there
/// are copied into it (owners, modes, times and symlinks kept), and the volume's root takes the directory's owner and mode.
/// </summary>
public static class CopyUp
{
    /// <summary>Copies <paramref name="imageDir"/> (a path inside the container's mounted root) into <paramref name="volumeDir"/> when that is empty.</summary>
    /// <returns>True when something was copied.</returns>
    public static bool IfEmpty(string rootfs, string destination, string volumeDir)
    {
        string? source = ResolveWithoutLinks(rootfs, destination);
        if (source is null) return false;
        var status = PosixFiles.TryLstat(source);
        if (status is not { IsDirectory: true }) return false;
        if (Directory.EnumerateFileSystemEntries(volumeDir).Any()) return false;
        CopyChildren(source, volumeDir);
        PosixFiles.ChangeOwner(volumeDir, status.Value.Uid, status.Value.Gid);
        PosixFiles.ChangeMode(volumeDir, status.Value.Permissions);
        return true;
    }

    /// <summary>The host path of <paramref name="path"/> under the root; null when a part of it is a symlink (it could lead out).</summary>
    private static string? ResolveWithoutLinks(string rootfs, string path)
    {
        string current = rootfs;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part is "." or "..") return null;
            current = Path.Combine(current, part);
            var status = PosixFiles.TryLstat(current);
            if (status is null || status.Value.IsSymlink) return null;
        }
        return current;
    }

    private static void CopyChildren(string sourceDir, string targetDir)
    {
        foreach (var source in Directory.EnumerateFileSystemEntries(sourceDir))
        {
            string target = Path.Combine(targetDir, Path.GetFileName(source));
            var status = PosixFiles.Lstat(source);
            switch (status.Kind)
            {
                case FileKind.Directory:
                    Directory.CreateDirectory(target);
                    CopyChildren(source, target);
                    PosixFiles.ChangeMode(target, status.Permissions);
                    break;
                case FileKind.Regular:
                    using (var input = PosixFiles.OpenReadNoFollow(source, status))
                    using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                        input.CopyTo(output);
                    PosixFiles.ChangeMode(target, status.Permissions);
                    break;
                case FileKind.Symlink:
                    PosixFiles.CreateSymlink(new FileInfo(source).LinkTarget ?? "", target);
                    break;
                case FileKind.CharDevice or FileKind.BlockDevice or FileKind.Fifo:
                    if (status.IsWhiteout) continue;
                    PosixFiles.MakeNode(target, status.Kind, status.Permissions, status.RDevMajor, status.RDevMinor);
                    break;
                default:
                    continue; // sockets are not content
            }
            PosixFiles.ChangeOwner(target, status.Uid, status.Gid);
            PosixFiles.SetTimes(target, status.MTimeSeconds, status.MTimeNanoseconds);
        }
    }
}
