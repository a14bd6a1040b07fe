using System.Text;
using Berth.Shim.Native;

namespace Berth.Shim.Runtime;

/// <summary>
/// What every native exec of one container shares, worked out on the first exec and kept: the container's seccomp
/// program (compiled from the bundle's config.json, as runc exec loads the container's filter), whether the
/// container has a user namespace (then runc does the exec), and the cgroup.procs files of the init's cgroups.
/// </summary>
internal sealed class NativeExecContainer(string bundle)
{
    private bool _loaded;
    private string? _unsupported;
    private byte[]? _seccomp;
    private CgroupTargets? _cgroups;

    /// <summary>The BPF program to load, or null when the container has no seccomp filter.</summary>
    public byte[]? Seccomp
    {
        get
        {
            Load();
            return _seccomp;
        }
    }

    /// <summary>Throws <see cref="NotSupportedException"/> when this container's execs must go through runc.</summary>
    public void RequireSupported()
    {
        Load();
        if (_unsupported is not null) throw new NotSupportedException(_unsupported);
    }

    private void Load()
    {
        if (_loaded) return;
        _loaded = true;
        try
        {
            var spec = JsonTree.Parse(Fd.ReadFile(Path.Combine(bundle, "config.json"), limit: 4 << 20)) as Dictionary<string, object?>
                ?? throw new InvalidDataException("config.json is not an object");
            var linux = spec.Object("linux") ?? [];
            foreach (var item in linux.Array("namespaces") ?? [])
                if (item is Dictionary<string, object?> ns && ns.String("type") == "user")
                    throw new NotSupportedException("the container has a user namespace");
            if (linux.Object("seccomp") is { } seccomp) _seccomp = SeccompCompiler.Compile(seccomp);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidDataException or InvalidOperationException or UnixError
                                      or DllNotFoundException or EntryPointNotFoundException or FormatException or OverflowException)
        {
            _unsupported = e.Message;
        }
    }

    /// <summary>
    /// The init's cgroup in every hierarchy (v1 controllers, named hierarchies, the v2 unified one), found through the
    /// shim's mount table: the exec joins exactly the init's cgroups. For v1 the directory's <c>tasks</c> file: moving
    /// the single thread of the (single-threaded) child moves the process, without the kernel's global threadgroup lock,
    /// whose write side waits for an RCU grace period (milliseconds, more on a busy machine). For v2 the directory,
    /// which the child is born into (clone3 CLONE_INTO_CGROUP), with <c>cgroup.procs</c> for kernels without that.
    /// </summary>
    public CgroupTargets Cgroups(int initPid)
    {
        if (_cgroups is not null) return _cgroups;
        var mounts = CgroupMounts(Encoding.UTF8.GetString(Fd.ReadFile("/proc/self/mountinfo")));
        var tasks = new List<string>();
        string? unified = null;
        foreach (string line in Encoding.UTF8.GetString(Fd.ReadFile($"/proc/{initPid}/cgroup")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            string key = parts[0] == "0" && parts[1].Length == 0 ? "" : parts[1];
            if (!mounts.TryGetValue(key, out var mount)) continue; // a hierarchy the host has not mounted
            string path = parts[2];
            if (mount.Root != "/")
            {
                if (!path.StartsWith(mount.Root, StringComparison.Ordinal)) throw new NotSupportedException($"cgroup {line} is outside its mount");
                path = path[mount.Root.Length..];
            }
            string directory = (mount.Point.TrimEnd('/') + "/" + path.Trim('/')).TrimEnd('/');
            if (key.Length == 0) unified = directory;
            else tasks.Add(directory + "/tasks");
        }
        return _cgroups = new CgroupTargets(tasks, unified);
    }

    /// <summary>The cgroup mounts of a mountinfo text: the v2 one and the v1 ones with their super options.</summary>
    internal static CgroupMountTable CgroupMounts(string mountinfo)
    {
        (string Root, string Point)? unified = null;
        var v1 = new List<(HashSet<string> Options, string Root, string Point)>();
        foreach (string line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ');
            int dash = Array.IndexOf(fields, "-");
            if (dash < 6 || dash + 3 >= fields.Length) continue;
            string type = fields[dash + 1], root = Unescape(fields[3]), point = Unescape(fields[4]);
            if (type == "cgroup2") unified ??= (root, point);
            else if (type == "cgroup") v1.Add(([.. fields[dash + 3].Split(',')], root, point));
        }
        return new CgroupMountTable(unified, v1);
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var text = new StringBuilder();
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                text.Append((char)((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0')));
                i += 3;
            }
            else text.Append(field[i]);
        }
        return text.ToString();

        static bool IsOctal(char c) => c is >= '0' and <= '7';
    }
}

/// <summary>Finds the mount of a hierarchy as /proc/PID/cgroup names it: "" for v2, else its controllers ("cpu,cpuacct", "name=systemd").</summary>
internal sealed class CgroupMountTable((string Root, string Point)? unified, List<(HashSet<string> Options, string Root, string Point)> v1)
{
    public bool TryGetValue(string key, out (string Root, string Point) mount)
    {
        mount = default;
        if (key.Length == 0)
        {
            if (unified is not { } u) return false;
            mount = u;
            return true;
        }
        foreach (var m in v1)
        {
            bool all = true;
            foreach (string controller in key.Split(',')) all &= m.Options.Contains(controller);
            if (!all) continue;
            mount = (m.Root, m.Point);
            return true;
        }
        return false;
    }
}

/// <summary>The v1 <c>tasks</c> files and the v2 directory (null without a v2 hierarchy) an exec joins.</summary>
internal sealed record CgroupTargets(IReadOnlyList<string> V1Tasks, string? Unified);
