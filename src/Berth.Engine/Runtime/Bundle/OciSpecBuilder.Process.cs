using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

public static partial class OciSpecBuilder
{
    /// <summary>Docker's default when neither the daemon nor the container sets nofile.</summary>
    public const ulong DefaultNofile = 1048576;

    private static readonly HashSet<string> UlimitNames =
    [
        "as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss",
        "rtprio", "rttime", "sigpending", "stack",
    ];

    private static RuntimeProcess BuildProcess(
        ContainerRunSpec spec, HostLimits host, SecurityOptions security, ResolvedUser user,
        IReadOnlyList<string> caps, string hostname)
    {
        var args = spec.InitPath is null ? spec.Args : [InitPathInContainer, "--", .. spec.Args];
        return new RuntimeProcess
        {
            Terminal = spec.Tty,
            User = new RuntimeUser { Uid = user.Uid, Gid = user.Gid, AdditionalGids = user.AdditionalGids },
            Args = args,
            Env = BuildEnv(spec, user, hostname),
            Cwd = WorkingDirOf(spec.WorkingDir),
            // A process that is not root starts with no effective or permitted capabilities, as with Docker;
            // the bounding set still limits what a setuid binary could gain.
            Capabilities = user.Uid == 0
                ? new RuntimeCapabilities { Bounding = caps, Effective = caps, Permitted = caps }
                : new RuntimeCapabilities { Bounding = caps },
            Rlimits = BuildRlimits(spec.Ulimits, host),
            NoNewPrivileges = security.NoNewPrivileges,
            OomScoreAdj = spec.OomScoreAdj,
        };
    }

    /// <summary>
    /// Docker's CreateDaemonEnvironment: PATH, HOSTNAME and (with a tty) TERM first, then the container's env
    /// replacing those in place or appended; "NAME" without '=' unsets. HOME comes from /etc/passwd when unset.
    /// </summary>
    private static List<string> BuildEnv(ContainerRunSpec spec, ResolvedUser user, string hostname)
    {
        var env = new List<string?> { "PATH=" + DefaultPath, "HOSTNAME=" + hostname };
        if (spec.Tty) env.Add("TERM=xterm");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < env.Count; i++) index[NameOf(env[i]!)] = i;

        foreach (string entry in spec.Env)
        {
            string name = NameOf(entry);
            bool unset = !entry.Contains('=');
            if (index.TryGetValue(name, out int at)) env[at] = unset ? null : entry;
            else if (!unset)
            {
                index[name] = env.Count;
                env.Add(entry);
            }
        }

        var result = env.OfType<string>().ToList();
        if (!result.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal))) result.Add("HOME=" + user.Home);
        return result;

        static string NameOf(string entry)
        {
            int eq = entry.IndexOf('=');
            return eq < 0 ? entry : entry[..eq];
        }
    }

    private static string WorkingDirOf(string workingDir)
    {
        if (workingDir.Length == 0) return "/";
        if (!workingDir.StartsWith('/'))
            throw BerthException.Invalid($"the working directory '{workingDir}' is invalid, it needs to be an absolute path");
        return CleanPath(workingDir);
    }

    /// <summary>
    /// Docker's default nofile, then the container's ulimits by name; each clamped to the daemon's hard limit
    /// unless it may raise limits, because runc cannot set more and fails the start.
    /// </summary>
    private static List<RuntimeRlimit> BuildRlimits(IReadOnlyList<Ulimit> ulimits, HostLimits host)
    {
        var limits = new List<RuntimeRlimit> { new() { Type = "RLIMIT_NOFILE", Soft = DefaultNofile, Hard = DefaultNofile } };
        foreach (var ulimit in ulimits)
        {
            string name = ulimit.Name.Trim().ToLowerInvariant();
            if (!UlimitNames.Contains(name)) throw BerthException.Invalid($"invalid ulimit type: {ulimit.Name}");
            ulong soft = ToRlimit(ulimit.Soft), hard = ToRlimit(ulimit.Hard);
            if (soft > hard)
                throw BerthException.Invalid($"ulimit soft limit must be less than or equal to hard limit: {ulimit.Soft} > {ulimit.Hard}");
            var limit = new RuntimeRlimit { Type = "RLIMIT_" + name.ToUpperInvariant(), Soft = soft, Hard = hard };
            int existing = limits.FindIndex(l => l.Type == limit.Type);
            if (existing >= 0) limits[existing] = limit;
            else limits.Add(limit);
        }

        if (host.CanRaiseRlimits) return limits;
        return limits.Select(l =>
        {
            ulong hard = Math.Min(l.Hard, host.HardLimitOf(l.Type));
            return l with { Hard = hard, Soft = Math.Min(l.Soft, hard) };
        }).ToList();
    }

    /// <summary>Docker's ulimits are int64 with -1 for unlimited; the kernel's unlimited is all ones.</summary>
    private static ulong ToRlimit(long value) => value < 0 ? ulong.MaxValue : (ulong)value;

    /// <summary>Go's path.Clean for absolute paths: no ".", "..", doubled or trailing slashes.</summary>
    internal static string CleanPath(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
