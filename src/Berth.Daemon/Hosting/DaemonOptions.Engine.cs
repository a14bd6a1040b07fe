using Berth.Oci.Errors;

namespace Berth.Daemon.Hosting;

/// <summary>
/// dockerd's settings for containers' defaults, logging and storage, and the keys of dockerd's daemon.json that berthd
/// knows but does not act on: most are accepted with a warning; those whose silent absence would weaken what the user
/// asked for (user namespaces, SELinux, authorization) stop the daemon instead.
/// </summary>
public sealed partial class DaemonOptions
{
    /// <summary>Flags that take no value on the command line (<c>--live-restore</c>); <c>--flag=false</c> still works.</summary>
    private static readonly HashSet<string> BooleanFlags = new(StringComparer.Ordinal)
    {
        "debug", "tlsverify", "tls", "init", "no-new-privileges", "live-restore", "experimental", "selinux-enabled", "raw-logs",
        "icc", "ip-masq", "iptables", "ip6tables", "ip-forward", "userland-proxy", "ipv6",
    };

    /// <summary>logrus's levels, as dockerd's --log-level takes them.</summary>
    private static readonly HashSet<string> LogLevels = new(StringComparer.Ordinal)
    {
        "trace", "debug", "info", "warn", "warning", "error", "fatal", "panic",
    };

    /// <summary>daemon.json keys of dockerd's that berthd has no use for (see <see cref="RefusedWhenSet"/> for the rest).</summary>
    private static readonly HashSet<string> DockerdOnlyKeys = new(StringComparer.Ordinal)
    {
        "allow-nondistributable-artifacts", "api-cors-header", "bip6", "builder", "cdi-spec-dirs",
        "cluster-advertise", "cluster-store", "cluster-store-opts", "containerd", "containerd-namespace",
        "containerd-plugins-namespace", "cpu-rt-period", "cpu-rt-runtime", "cri-containerd", "default-gateway-v6",
        "default-isolation", "default-network-opts", "deprecated-key-path", "firewall-backend",
        "host-gateway-ip", "http-proxy", "https-proxy", "log-format",
        "network-control-plane-mtu", "no-proxy", "node-generic-resources", "oom-score-adjust", "proxies",
        "raw-logs", "rootless", "selinux-enabled", "storage-opts", "swarm-default-advertise-addr", "tls", "userland-proxy",
        "userland-proxy-path", "userns-remap", "allow-direct-routing", "ip-forward-no-drop",
    };

    private readonly List<string> _unknownKeys = [];

    /// <summary>"authorization-plugins" (--authorization-plugin): asked, in order, about every API request.</summary>
    public List<string> AuthorizationPlugins { get; } = [];

    /// <summary>"metrics-addr": where Prometheus metrics are served over plain HTTP (empty: nowhere).</summary>
    public string MetricsAddress { get; set; } = "";

    /// <summary>Applies one of this file's keys or flags; false when <paramref name="name"/> is not one of them.</summary>
    private bool ApplyEngineOption(string name, List<string> values)
    {
        string last = values.Count > 0 ? values[^1] : "";
        switch (name)
        {
            case "log-level":
                if (!LogLevels.Contains(last)) throw BerthException.Invalid($"unable to parse logging level: {last}");
                LogLevel = last;
                return true;
            case "default-ipc-mode":
                DefaultIpcMode = last is "private" or "shareable"
                    ? last
                    : throw BerthException.Invalid($"{ValidationFailed}default IPC mode setting ({last}) is invalid; use \"shareable\" or \"private\"");
                return true;
            case "default-cgroupns-mode":
                DefaultCgroupnsMode = last is "host" or "private"
                    ? last
                    : throw BerthException.Invalid($"{ValidationFailed}default cgroup namespace mode ({last}) is invalid; use \"host\" or \"private\"");
                return true;
            case "seccomp-profile":
                SeccompProfile = last;
                return true;
            case "cgroup-parent":
                CgroupParent = last.Length == 0 ? "/berth" : last.StartsWith('/') ? last.TrimEnd('/') : "/" + last.TrimEnd('/');
                return true;
            case "exec-opt" or "exec-opts":
                foreach (string option in values) CheckExecOption(option);
                return true;
            case "storage-driver":
                if (last is not ("" or "overlay2" or "overlay"))
                    throw BerthException.Invalid($"failed to start daemon: error initializing graphdriver: berthd stores images with overlay2 only, not \"{last}\"");
                return true;
            case "max-download-attempts":
                MaxDownloadAttempts = int.TryParse(last, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int attempts) && attempts > 0
                    ? attempts
                    : throw BerthException.Invalid($"invalid max download attempts: {last}");
                return true;
            case "live-restore": LiveRestore = ParseBool(name, last); return true;
            case "experimental": Experimental = ParseBool(name, last); return true;
            case "shutdown-timeout": ShutdownTimeout = NonNegativeInt(name, last); return true;
            case "group":
                SocketGroup = last;
                SocketGroupGiven = true;
                return true;
            case "authorization-plugin" or "authorization-plugins":
                AuthorizationPlugins.AddRange(values.Where(v => v.Length > 0));
                return true;
            case "metrics-addr":
                if (last.Length > 0) Http.MetricsListener.Parse(last);
                MetricsAddress = last;
                return true;
            case "features":
                foreach (string pair in values)
                {
                    int eq = pair.IndexOf('=');
                    if (eq <= 0) throw BerthException.Invalid($"invalid feature: {pair}");
                    Features[pair[..eq]] = ParseBool($"features.{pair[..eq]}", pair[(eq + 1)..]);
                }
                return true;
            default:
                return false;
        }
    }

    private string ValidationFailed => $"unable to configure the daemon with file {ConfigFile}: configuration validation from file failed: ";

    /// <summary>
    /// Why berthd will not start with <paramref name="name"/> set this way, or null when it starts and warns. Each is a
    /// security or isolation setting: running without it while the file asks for it would be a silent downgrade.
    /// </summary>
    private static string? RefusedWhenSet(string name, List<string> values)
    {
        string last = values.Count > 0 ? values[^1] : "";
        bool set = values.Count > 0 && last is not ("" or "false" or "0");
        return name switch
        {
            "userns-remap" when set => "userns-remap is not supported by berthd: containers cannot run in remapped user namespaces",
            "selinux-enabled" when set => "SELinux is not supported by berthd (selinux-enabled must be false)",
            "rootless" when set => "berthd does not run rootless: start it as root",
            "storage-opts" when set => $"storage-opts are not supported by berthd's overlay2 ({string.Join(", ", values)})",
            _ => null,
        };
    }

    /// <summary>dockerd's exec-opts: only the cgroup driver applies on Linux, and berthd drives cgroups itself.</summary>
    private static void CheckExecOption(string option)
    {
        int eq = option.IndexOf('=');
        if (eq <= 0) throw BerthException.Invalid($"invalid exec-opt ({option}): must be formatted 'opt=value'");
        string key = option[..eq].Trim().ToLowerInvariant(), value = option[(eq + 1)..].Trim();
        if (key != "native.cgroupdriver") throw BerthException.Invalid($"failed to start daemon: unknown option {key}");
        if (value == "systemd") throw BerthException.Invalid("failed to start daemon: native.cgroupdriver systemd is not supported by berthd: it manages cgroups through cgroupfs");
        if (value != "cgroupfs") throw BerthException.Invalid($"failed to start daemon: native.cgroupdriver option {value} not supported");
    }

    private static bool ParseBool(string name, string value) =>
        GoText.GoBool.Parse(value) ?? throw BerthException.Invalid($"invalid boolean value \"{value}\" for {name}");

    private static int NonNegativeInt(string name, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= -1
            ? n
            : throw BerthException.Invalid($"invalid value for {name}: \"{value}\"");
}
