namespace Berth.Shim.Runtime;

/// <summary>
/// The OCI <c>process</c> object of an exec (<c>exec-&lt;id&gt;.json</c>) as the native exec path uses it. Anything the
/// native path does not apply the way runc would (an AppArmor or SELinux label, an unknown rlimit, no capabilities
/// object) throws <see cref="NotSupportedException"/>, and the exec goes through runc instead.
/// </summary>
internal sealed class ExecProcessSpec
{
    public required List<string> Args { get; init; }
    public required List<string> Env { get; init; }
    public required string Cwd { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public required List<uint> AdditionalGids { get; init; }
    public uint? Umask { get; init; }
    public ulong Bounding { get; init; }
    public ulong Effective { get; init; }
    public ulong Permitted { get; init; }
    public ulong Inheritable { get; init; }
    public ulong Ambient { get; init; }
    public required List<(int Type, ulong Soft, ulong Hard)> Rlimits { get; init; }
    public bool NoNewPrivileges { get; init; }
    public int? OomScoreAdj { get; init; }

    public static ExecProcessSpec Parse(ReadOnlySpan<byte> json)
    {
        var process = JsonTree.Parse(json) as Dictionary<string, object?> ?? throw new InvalidDataException("the exec's process is not a JSON object");
        if (process.String("apparmorProfile") is { Length: > 0 } apparmor) throw new NotSupportedException($"AppArmor profile {apparmor}");
        if (process.String("selinuxLabel") is { Length: > 0 } selinux) throw new NotSupportedException($"SELinux label {selinux}");
        var args = process.Strings("args");
        if (args.Count == 0 || args[0].Length == 0) throw new NotSupportedException("no command");
        var user = process.Object("user") ?? [];
        var capabilities = process.Object("capabilities") ?? throw new NotSupportedException("no capabilities object");
        var gids = new List<uint>();
        foreach (var gid in user.Array("additionalGids") ?? []) gids.Add(checked((uint)((gid as JsonNumber)?.ToUInt64() ?? throw new InvalidDataException("additionalGids"))));
        var rlimits = new List<(int, ulong, ulong)>();
        foreach (var item in process.Array("rlimits") ?? [])
        {
            var rlimit = item as Dictionary<string, object?> ?? throw new InvalidDataException("rlimits");
            string type = rlimit.String("type") ?? "";
            rlimits.Add((RlimitType(type), rlimit.UInt64("soft") ?? 0, rlimit.UInt64("hard") ?? 0));
        }
        return new ExecProcessSpec
        {
            Args = args,
            Env = process.Strings("env"),
            Cwd = process.String("cwd") is { Length: > 0 } cwd ? cwd : "/",
            Uid = checked((uint)(user.UInt64("uid") ?? 0)),
            Gid = checked((uint)(user.UInt64("gid") ?? 0)),
            AdditionalGids = gids,
            Umask = user.UInt64("umask") is { } umask ? checked((uint)umask) : null,
            Bounding = CapabilitySet(capabilities.Strings("bounding")),
            Effective = CapabilitySet(capabilities.Strings("effective")),
            Permitted = CapabilitySet(capabilities.Strings("permitted")),
            Inheritable = CapabilitySet(capabilities.Strings("inheritable")),
            Ambient = CapabilitySet(capabilities.Strings("ambient")),
            Rlimits = rlimits,
            NoNewPrivileges = process.Bool("noNewPrivileges"),
            OomScoreAdj = process.Int64("oomScoreAdj") is { } oom ? checked((int)oom) : null,
        };
    }

    private static readonly string[] CapabilityNames =
    [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE",
    ];

    /// <summary>A capability bit mask; unknown names are ignored, as runc 1.1 ignores them (with a warning).</summary>
    internal static ulong CapabilitySet(List<string> names)
    {
        ulong set = 0;
        foreach (string name in names)
        {
            int bit = name.StartsWith("CAP_", StringComparison.Ordinal) ? Array.IndexOf(CapabilityNames, name[4..]) : -1;
            if (bit >= 0) set |= 1UL << bit;
        }
        return set;
    }

    private static readonly string[] RlimitNames =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC",
        "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE",
        "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];

    private static int RlimitType(string name)
    {
        int type = Array.IndexOf(RlimitNames, name);
        return type >= 0 ? type : throw new NotSupportedException($"rlimit {name}");
    }
}
