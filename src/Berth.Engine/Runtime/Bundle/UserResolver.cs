using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>The identity a container's process runs as, and the HOME it gets when the env has none.</summary>
public sealed record ResolvedUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home);

/// <summary>
/// Resolves Docker's --user against the image's /etc/passwd and /etc/group (read inside the rootfs, never
/// through a symlink that leaves it), with libcontainer's rules: a number without an entry is allowed, a
/// name without one is an error; supplementary groups come from /etc/group only when no group was given.
/// Docker then puts the primary gid first, the supplementary groups, and --group-add last.
/// </summary>
public static class UserResolver
{
    private const long MaxId = int.MaxValue;

    public static ResolvedUser Resolve(string rootfs, string user, IReadOnlyList<string> groupAdd)
    {
        int colon = user.IndexOf(':');
        string userArg = colon < 0 ? user : user[..colon];
        string groupArg = colon < 0 ? "" : user[(colon + 1)..];
        if (userArg.Length == 0) userArg = "0";

        long uid = 0, gid = 0;
        string home = "/";
        string? matchedName = null;

        bool userIsNumeric = TryParseId(userArg, out long uidArg);
        var passwd = EtcFiles.ReadPasswd(rootfs);
        var entry = passwd.FirstOrDefault(u => userIsNumeric ? u.Uid == uidArg : u.Name == userArg);
        if (entry is not null)
        {
            (matchedName, uid, gid, home) = (entry.Name, entry.Uid, entry.Gid, entry.Home);
        }
        else
        {
            if (!userIsNumeric) throw BerthException.Invalid($"unable to find user {userArg}: no matching entries in passwd file");
            uid = uidArg;
        }
        CheckRange(uid);

        var supplementary = new List<long>();
        if (groupArg.Length > 0 || matchedName is not null)
        {
            var groups = EtcFiles.ReadGroup(rootfs);
            if (groupArg.Length > 0)
            {
                bool groupIsNumeric = TryParseId(groupArg, out long gidArg);
                var group = groups.FirstOrDefault(g => groupIsNumeric ? g.Gid == gidArg : g.Name == groupArg);
                if (group is not null) gid = group.Gid;
                else if (groupIsNumeric) gid = gidArg;
                else throw BerthException.Invalid($"unable to find group {groupArg}: no matching entries in group file");
                CheckRange(gid);
            }
            else
            {
                supplementary.AddRange(groups.Where(g => g.Members.Contains(matchedName!)).Select(g => g.Gid));
            }
        }

        var additional = new List<uint> { (uint)gid };
        additional.AddRange(supplementary.Select(g => (uint)g));
        additional.AddRange(ResolveGroupAdd(rootfs, groupAdd));
        return new ResolvedUser((uint)uid, (uint)gid, additional.Distinct().ToList(), home.Length > 0 ? home : "/");
    }

    /// <summary>--group-add: group names or numbers; a number need not exist in /etc/group.</summary>
    private static List<uint> ResolveGroupAdd(string rootfs, IReadOnlyList<string> groupAdd)
    {
        if (groupAdd.Count == 0) return [];
        var groups = EtcFiles.ReadGroup(rootfs);
        var gids = new List<uint>();
        foreach (string wanted in groupAdd)
        {
            var group = groups.FirstOrDefault(g => g.Name == wanted || g.Gid.ToString() == wanted);
            long gid;
            if (group is not null) gid = group.Gid;
            else if (!TryParseId(wanted, out gid))
                throw BerthException.Invalid($"Unable to find group {wanted}: no matching entries in group file");
            CheckRange(gid);
            gids.Add((uint)gid);
        }
        return gids;
    }

    private static bool TryParseId(string text, out long id) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, null, out id);

    private static void CheckRange(long id)
    {
        if (id < 0 || id > MaxId) throw BerthException.Invalid("uids and gids must be in range 0-2147483647");
    }
}
