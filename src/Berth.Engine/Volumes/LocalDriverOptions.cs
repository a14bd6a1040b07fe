using System.Runtime.InteropServices;
using Berth.Engine.Runtime.Mounts;
using Berth.Oci.Errors;

namespace Berth.Engine.Volumes;

/// <summary>
/// The local driver's <c>type</c>, <c>device</c> and <c>o</c> options (<c>-o type=tmpfs -o device=tmpfs -o o=size=1m</c>,
/// <c>-o type=none -o o=bind -o device=/srv</c>): validated at create, turned into one mount(2) at first use.
/// </summary>
public static class LocalDriverOptions
{
    private static readonly string[] Known = ["type", "device", "o", "size"];

    // mount(8) option words that are flags, not data: what moby/sys/mount.ParseOptions knows.
    private static readonly Dictionary<string, (bool Clear, ulong Flag)> Flags = new(StringComparer.Ordinal)
    {
        ["ro"] = (false, 1), ["rw"] = (true, 1),
        ["nosuid"] = (false, 2), ["suid"] = (true, 2),
        ["nodev"] = (false, 4), ["dev"] = (true, 4),
        ["noexec"] = (false, 8), ["exec"] = (true, 8),
        ["sync"] = (false, 16), ["async"] = (true, 16),
        ["dirsync"] = (false, 128),
        ["mand"] = (false, 64), ["nomand"] = (true, 64),
        ["noatime"] = (false, 1024), ["atime"] = (true, 1024),
        ["nodiratime"] = (false, 2048), ["diratime"] = (true, 2048),
        ["bind"] = (false, Syscalls.MS_BIND), ["rbind"] = (false, Syscalls.MS_BIND | Syscalls.MS_REC),
        ["relatime"] = (false, 1 << 21), ["norelatime"] = (true, 1 << 21),
        ["strictatime"] = (false, 1 << 24), ["nostrictatime"] = (true, 1 << 24),
        ["defaults"] = (false, 0),
    };

    public static bool NeedsMount(IReadOnlyDictionary<string, string>? options) =>
        options is not null && (options.ContainsKey("type") || options.ContainsKey("device") || options.ContainsKey("o"));

    public static void Validate(string name, IReadOnlyDictionary<string, string>? options)
    {
        if (options is null) return;
        foreach (var key in options.Keys.Order(StringComparer.Ordinal))
            if (!Known.Contains(key)) throw BerthException.Invalid($"create {name}: invalid option: \"{key}\"");
        if (options.ContainsKey("size"))
            throw BerthException.Invalid($"create {name}: quota size requested but no quota support");
        if (!NeedsMount(options)) return;
        if (!options.TryGetValue("device", out var device) || device.Length == 0)
            throw BerthException.Invalid($"create {name}: missing required option: \"device\"");
        if (!options.TryGetValue("type", out var type) || type.Length == 0)
            throw BerthException.Invalid($"create {name}: missing required option: \"type\"");
    }

    /// <summary>Splits <c>o</c> into mount flags and the data string the filesystem gets.</summary>
    public static (ulong Flags, string Data) Parse(string? o)
    {
        ulong flags = 0;
        var data = new List<string>();
        foreach (var word in (o ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Flags.TryGetValue(word, out var flag))
            {
                if (flag.Clear) flags &= ~flag.Flag; else flags |= flag.Flag;
            }
            else data.Add(word);
        }
        return (flags, string.Join(',', data));
    }

    /// <summary>Mounts the volume's device on its data directory, with dockerd's error text.</summary>
    public static void Mount(IReadOnlyDictionary<string, string> options, string dataDir)
    {
        string device = options.GetValueOrDefault("device", "");
        string type = options.GetValueOrDefault("type", "");
        var (flags, data) = Parse(options.GetValueOrDefault("o"));
        // A bind is a bind whatever type was written (Docker's examples use type=none).
        string fsType = (flags & Syscalls.MS_BIND) != 0 ? "" : type;
        if (Syscalls.Mount(device, dataDir, fsType, flags & ~Syscalls.MS_RDONLY, data.Length == 0 ? null : data) != 0)
            throw BerthException.Internal($"failed to mount local volume: mount {device}:{dataDir}, flags: 0x{flags:x}, data: {data}: {Marshal.GetLastPInvokeErrorMessage().ToLowerInvariant()}");
        // A bind ignores MS_RDONLY on its first mount: read-only takes a remount.
        if ((flags & Syscalls.MS_RDONLY) != 0
            && Syscalls.Mount("", dataDir, "", Syscalls.MS_REMOUNT | Syscalls.MS_RDONLY | (flags & Syscalls.MS_BIND), null) != 0)
        {
            string message = Marshal.GetLastPInvokeErrorMessage();
            Unmount(dataDir);
            throw BerthException.Internal($"failed to mount local volume read-only at {dataDir}: {message}");
        }
    }

    public static void Unmount(string dataDir) => Syscalls.Umount2(dataDir, Syscalls.MNT_DETACH);
}
