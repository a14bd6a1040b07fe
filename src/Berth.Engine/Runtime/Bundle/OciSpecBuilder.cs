using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>
/// Builds the OCI runtime spec that makes a container look, from the inside, as Docker's do: the same mounts,
/// capabilities, seccomp filter, masked and read-only /proc paths, device rules, sysctls and cgroup limits.
/// <para>
/// Where Berth deliberately differs from Docker (20.10, checked side by side on this machine):
/// <list type="bullet">
/// <item>Capabilities are limited to the daemon's own bounding set: --privileged and --cap-add ALL get every
/// capability the daemon holds (Docker asks for all and runc fails with "unable to apply caps" when the daemon
/// lacks one, as here without CAP_SYS_RESOURCE); naming a capability the daemon lacks is a clear error.</item>
/// <item>RLIMIT_NOFILE is written explicitly (Docker's 1048576), and every rlimit is clamped to the daemon's hard
/// limit when it cannot raise it, instead of inheriting whatever the runtime's parent had or failing in runc.</item>
/// <item>HOME is written into the env from /etc/passwd; Docker leaves that to runc, with the same result.</item>
/// <item>A network namespace is left out for host networking (Docker joins a bind of the host's); joining
/// another container's IPC shares its /dev/shm through /proc/PID/root/dev/shm instead of a daemon-managed mount.</item>
/// <item>--group-add keeps the order given (Docker's comes from a Go map) and duplicate gids are dropped.</item>
/// <item>Masked paths include /sys/devices/virtual/powercap, which newer Docker masks and 20.10 did not.</item>
/// </list>
/// </para>
/// </summary>
public static partial class OciSpecBuilder
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    public const string InitPathInContainer = "/sbin/docker-init";

    public static IReadOnlyList<string> DefaultMaskedPaths { get; } =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    public static IReadOnlyList<string> DefaultReadonlyPaths { get; } =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public static RuntimeSpec Build(ContainerRunSpec spec, HostLimits host)
    {
        if (spec.Args.Count == 0) throw BerthException.Invalid("No command specified");
        var security = SecurityOptions.Parse(spec.SecurityOpt);
        var user = UserResolver.Resolve(spec.RootfsPath, spec.User, spec.GroupAdd);
        var caps = Capabilities.For(spec, host);
        string hostname = HostnameOf(spec);
        var (devices, deviceRules) = BuildDevices(spec);
        bool confinedPaths = !spec.Privileged && !security.UnconfinedSystemPaths;

        return new RuntimeSpec
        {
            Process = BuildProcess(spec, host, security, user, caps, hostname),
            Root = new RuntimeRoot { Path = spec.RootfsPath, Readonly = spec.ReadonlyRootfs },
            Hostname = spec.Uts.Kind is NamespaceKind.Private or NamespaceKind.None ? hostname : null,
            Mounts = BuildMounts(spec),
            Annotations = spec.Annotations.Count > 0 ? spec.Annotations : null,
            Linux = new RuntimeLinux
            {
                Sysctl = BuildSysctls(spec),
                Resources = BuildResources(spec, host, deviceRules),
                CgroupsPath = spec.CgroupsPath,
                Namespaces = BuildNamespaces(spec, host),
                Devices = devices.Count > 0 ? devices : null,
                Seccomp = BuildSeccomp(spec, security, caps, host),
                RootfsPropagation = RootfsPropagationFor(spec.Mounts),
                MaskedPaths = confinedPaths ? NullIfEmpty(spec.MaskedPaths ?? DefaultMaskedPaths) : null,
                ReadonlyPaths = confinedPaths ? NullIfEmpty(spec.ReadonlyPaths ?? DefaultReadonlyPaths) : null,
            },
        };
    }

    /// <summary>Docker's: the container's hostname, else the short id; with the host's UTS, the host's name.</summary>
    private static string HostnameOf(ContainerRunSpec spec)
    {
        if (spec.Hostname.Length > 0) return spec.Hostname;
        if (spec.Uts.Kind == NamespaceKind.Host) return Environment.MachineName;
        return spec.Id.Length > 12 ? spec.Id[..12] : spec.Id;
    }

    private static LinuxSeccomp? BuildSeccomp(ContainerRunSpec spec, SecurityOptions security, IReadOnlyList<string> caps, HostLimits host)
    {
        if (security.SeccompUnconfined) return null;
        if (security.SeccompProfile is { } custom) return SeccompConverter.Convert(custom, caps, host);
        if (spec.Privileged) return null;
        return SeccompConverter.Convert(SeccompProfile.Default, caps, host);
    }

    private static (List<LinuxDevice> Devices, List<LinuxDeviceCgroup> Rules) BuildDevices(ContainerRunSpec spec)
    {
        if (spec.Privileged) return (HostDevices.All(), [DeviceCgroupRules.AllowAll]);

        var devices = new List<LinuxDevice>();
        var rules = new List<LinuxDeviceCgroup>(DeviceCgroupRules.DockerDefaults);
        foreach (var mapping in spec.Devices)
        {
            foreach (var (device, rule) in HostDevices.FromMapping(mapping))
            {
                devices.Add(device);
                rules.Add(rule);
            }
        }
        rules.AddRange(spec.DeviceCgroupRules.Select(DeviceCgroupRules.Parse));
        return (devices, rules);
    }

    private static IReadOnlyList<string>? NullIfEmpty(IReadOnlyList<string> list) => list.Count > 0 ? list : null;
}
