using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

public sealed record PasswdEntry(string Name, long Uid, long Gid, string Home);

public sealed record GroupEntry(string Name, long Gid, IReadOnlyList<string> Members);

/// <summary>
/// Reads /etc/passwd and /etc/group of a rootfs (the host's own with "/"). A missing file has no entries, as in
/// libcontainer.
/// </summary>
public static class EtcFiles
{
    /// <summary>Guards against an image whose /etc/passwd is huge or a device that never ends.</summary>
    private const long MaxFileSize = 16 * 1024 * 1024;

    public static List<PasswdEntry> ReadPasswd(string rootfs)
    {
        var entries = new List<PasswdEntry>();
        foreach (string[] fields in ReadFields(rootfs, "/etc/passwd"))
        {
            if (fields.Length < 4 || !long.TryParse(fields[2], out long uid) || !long.TryParse(fields[3], out long gid))
                continue;
            entries.Add(new PasswdEntry(fields[0], uid, gid, fields.Length > 5 ? fields[5] : ""));
        }
        return entries;
    }

    public static List<GroupEntry> ReadGroup(string rootfs)
    {
        var entries = new List<GroupEntry>();
        foreach (string[] fields in ReadFields(rootfs, "/etc/group"))
        {
            if (fields.Length < 3 || !long.TryParse(fields[2], out long gid)) continue;
            string[] members = fields.Length > 3
                ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [];
            entries.Add(new GroupEntry(fields[0], gid, members));
        }
        return entries;
    }

    private static IEnumerable<string[]> ReadFields(string rootfs, string path)
    {
        string hostPath = RootfsPath.SecureJoin(rootfs, path);
        var node = FileNode.Stat(hostPath, followSymlinks: false);
        if (node is null) yield break;
        if (node.Type != FileNodeType.Regular || new FileInfo(hostPath).Length > MaxFileSize)
            throw BerthException.Invalid($"{path} in {(rootfs == "/" ? "the host" : "the container's image")} is not a regular file of reasonable size");

        foreach (string raw in File.ReadLines(hostPath))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            yield return line.Split(':');
        }
    }
}
