using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>tmpfs mount options as Docker writes them into the spec.</summary>
public static class TmpfsOptions
{
    /// <summary>What every --tmpfs and tmpfs --mount starts from; the user's options come after and win.</summary>
    public static IReadOnlyList<string> Defaults { get; } = ["noexec", "nosuid", "nodev", "rprivate"];

    private const int PropagationKey = -1;

    /// <summary>Mount flags by name; a flag and its opposite share a key so that the later one wins.</summary>
    private static readonly Dictionary<string, int> FlagKeys = new(StringComparer.Ordinal)
    {
        ["ro"] = 1, ["rw"] = 1,
        ["nosuid"] = 2, ["suid"] = 2,
        ["nodev"] = 4, ["dev"] = 4,
        ["noexec"] = 8, ["exec"] = 8,
        ["sync"] = 16, ["async"] = 16,
        ["remount"] = 32,
        ["mand"] = 64, ["nomand"] = 64,
        ["dirsync"] = 128,
        ["noatime"] = 1024, ["atime"] = 1024,
        ["nodiratime"] = 2048, ["diratime"] = 2048,
        ["bind"] = 4096, ["rbind"] = 4096 | 16384,
        ["relatime"] = 1 << 21, ["norelatime"] = 1 << 21,
        ["strictatime"] = 1 << 24, ["nostrictatime"] = 1 << 24,
        ["private"] = PropagationKey, ["rprivate"] = PropagationKey,
        ["shared"] = PropagationKey, ["rshared"] = PropagationKey,
        ["slave"] = PropagationKey, ["rslave"] = PropagationKey,
        ["unbindable"] = PropagationKey, ["runbindable"] = PropagationKey,
        ["tmpcopyup"] = -2, // runc's extension: copy the image's content at that path into the tmpfs
    };

    private static readonly HashSet<string> DataKeys = ["size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol"];

    /// <summary>Docker's defaults followed by the user's comma-separated options, duplicates merged (later wins).</summary>
    public static List<string> Build(string userOptions) =>
        Merge(Defaults.Concat(userOptions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));

    /// <summary>Docker's MergeTmpfsOptions: keeps the last of each flag group and each data key, in order.</summary>
    public static List<string> Merge(IEnumerable<string> options)
    {
        var list = options.ToList();
        var seenFlags = new HashSet<int>();
        var seenData = new HashSet<string>(StringComparer.Ordinal);
        var merged = new List<string>();
        for (int i = list.Count - 1; i >= 0; i--)
        {
            string option = list[i];
            if (option == "defaults") continue;
            if (FlagKeys.TryGetValue(option, out int key))
            {
                if (seenFlags.Add(key)) merged.Insert(0, option);
                continue;
            }
            int eq = option.IndexOf('=');
            if (eq < 0 || !DataKeys.Contains(option[..eq]))
                throw BerthException.Invalid($"invalid tmpfs option \"{option}\"");
            if (seenData.Add(option[..eq])) merged.Insert(0, option);
        }
        return merged;
    }

    /// <summary>Docker's ConvertTmpfsOptions, for a tmpfs --mount: "ro", "mode=&lt;octal&gt;", "size=" with the largest exact unit.</summary>
    public static string FromMountOptions(long sizeBytes, uint mode, bool readOnly)
    {
        var options = new List<string>();
        if (readOnly) options.Add("ro");
        if (mode != 0) options.Add("mode=" + Convert.ToString(mode, 8));
        if (sizeBytes != 0)
        {
            string suffix = "";
            foreach (var (unit, divisor) in new[] { ("g", 1L << 30), ("m", 1L << 20), ("k", 1L << 10) })
            {
                if (sizeBytes % divisor != 0) continue;
                sizeBytes /= divisor;
                suffix = unit;
                break;
            }
            options.Add($"size={sizeBytes}{suffix}");
        }
        return string.Join(',', options);
    }
}
