using System.Security.Cryptography;
using Berth.Oci.Native;

namespace Berth.IntegrationTests.Layers;

/// <summary>Everything a layer must preserve about a tree, per path, in a comparable form.</summary>
internal static class TreeSnapshot
{
    public static SortedDictionary<string, string> Take(string root, bool withTimes = true)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var inodes = new Dictionary<ulong, string>();
        root = Path.TrimEndingDirectorySeparator(root);
        var paths = Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Order(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            string relative = path[(root.Length + 1)..];
            var st = PosixFiles.Lstat(path);
            string detail = st.Kind switch
            {
                FileKind.Regular => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
                FileKind.Symlink => "-> " + PosixFiles.ReadLink(path),
                FileKind.CharDevice or FileKind.BlockDevice => $"{st.RDevMajor},{st.RDevMinor}",
                _ => "",
            };
            // Hard links: every name of an inode points at the first name seen (in sorted order).
            string link = "";
            if (st.Kind != FileKind.Directory && st.NLink > 1)
            {
                if (inodes.TryGetValue(st.Inode, out var first)) link = " link=" + first;
                else inodes[st.Inode] = relative;
            }
            var xattrs = PosixFiles.ListXattrs(path).Where(n => !n.StartsWith("trusted.overlay.")).Order(StringComparer.Ordinal)
                .Select(n => $"{n}={Convert.ToHexString(PosixFiles.GetXattr(path, n) ?? [])}");
            string time = withTimes ? $" mtime={st.MTimeSeconds}" : "";
            result[relative] = $"{st.Kind} {Convert.ToString(st.Permissions, 8)} {st.Uid}:{st.Gid} {detail}{link}{time} [{string.Join(' ', xattrs)}]";
        }
        return result;
    }
}
