using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>Linux capability names and the capability set a container gets, following Docker's rules.</summary>
public static class Capabilities
{
    public const int SysAdmin = 21;
    public const int SysResource = 24;
    /// <summary>CAP_CHECKPOINT_RESTORE, the last capability of Linux 5.9+ (and of runc 1.1's list).</summary>
    public const int LastKnown = 40;

    /// <summary>Indexed by capability number.</summary>
    private static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>Docker's default set, in Docker's order (the effective mask 0xa80425fb).</summary>
    public static IReadOnlyList<string> DockerDefaults { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ];

    /// <summary>The capability number of "CAP_X", or -1.</summary>
    public static int NumberOf(string name) => Array.IndexOf(Names, name);

    public static string NameOf(int number) => Names[number];

    /// <summary>
    /// Docker's TweakCapabilities: privileged or "ALL" in CapAdd gives every capability (minus CapDrop),
    /// "ALL" in CapDrop keeps only CapAdd, otherwise the defaults minus CapDrop plus CapAdd. Berth then keeps
    /// only what the daemon holds, since runc fails on more ("unable to apply caps"); a capability asked for
    /// by name that the daemon lacks is an error rather than a silent omission.
    /// </summary>
    public static IReadOnlyList<string> For(ContainerRunSpec spec, HostLimits host)
    {
        if (spec.Privileged) return AllAvailable(host, except: []);

        var adds = Normalize(spec.CapAdd, "CapAdd");
        var drops = Normalize(spec.CapDrop, "CapDrop");
        IEnumerable<string> caps;
        if (adds.Contains("ALL")) caps = AllAvailable(host, except: drops);
        else if (drops.Contains("ALL")) caps = adds;
        else caps = DockerDefaults.Where(c => !drops.Contains(c)).Concat(adds);

        foreach (string add in adds)
        {
            if (add != "ALL" && !host.HasCapability(NumberOf(add)))
                throw BerthException.Invalid($"invalid CapAdd: capability {add} is not held by the daemon, so it cannot be granted");
        }
        return caps.Where(c => c != "ALL" && host.HasCapability(NumberOf(c))).Distinct().ToList();
    }

    /// <summary>Upper-cases and adds the "CAP_" prefix, as Docker's NormalizeLegacyCapabilities.</summary>
    public static List<string> Normalize(IEnumerable<string> caps, string field)
    {
        var normalized = new List<string>();
        foreach (string raw in caps)
        {
            string cap = raw.Trim().ToUpperInvariant();
            if (cap.Length == 0) continue;
            if (cap != "ALL" && !cap.StartsWith("CAP_", StringComparison.Ordinal)) cap = "CAP_" + cap;
            if (cap != "ALL" && NumberOf(cap) < 0)
                throw BerthException.Invalid($"invalid {field}: unknown capability: \"{cap}\"");
            normalized.Add(cap);
        }
        return normalized;
    }

    private static List<string> AllAvailable(HostLimits host, IReadOnlyCollection<string> except)
    {
        var caps = new List<string>();
        for (int n = 0; n <= Math.Min(LastKnown, host.LastCapability); n++)
        {
            if (host.HasCapability(n) && !except.Contains(Names[n])) caps.Add(Names[n]);
        }
        return caps;
    }
}
