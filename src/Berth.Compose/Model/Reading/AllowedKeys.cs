// Generated from the compose-spec JSON schema (shared/specs/compose-spec.json): the "properties" of each object
// below. Regenerate rather than edit by hand when the schema changes. Keys starting with x- are allowed everywhere.
namespace Berth.Compose.Model.Reading;

/// <summary>The keys the compose specification allows in each kind of mapping the reader validates.</summary>
internal static class AllowedKeys
{
    /// <summary>Keys of the root of the document.</summary>
    public static readonly IReadOnlySet<string> TopLevel = new HashSet<string>(StringComparer.Ordinal)
    {
        "configs", "include", "models", "name", "networks", "secrets", "services", "version", "volumes",
    };

    /// <summary>Keys of a service.</summary>
    public static readonly IReadOnlySet<string> Service = new HashSet<string>(StringComparer.Ordinal)
    {
        "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent",
        "command", "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota",
        "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on",
        "deploy", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname",
        "entrypoint", "env_file", "environment", "expose", "extends", "external_links", "extra_hosts", "gpus",
        "group_add", "healthcheck", "hostname", "image", "init", "ipc", "isolation", "label_file", "labels",
        "links", "logging", "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit",
        "models", "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform",
        "ports", "post_start", "pre_stop", "privileged", "profiles", "provider", "pull_policy",
        "pull_refresh_after", "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size",
        "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits",
        "use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir",
    };

    /// <summary>Keys of a service's long-syntax build.</summary>
    public static readonly IReadOnlySet<string> Build = new HashSet<string>(StringComparer.Ordinal)
    {
        "additional_contexts", "args", "cache_from", "cache_to", "context", "dockerfile", "dockerfile_inline",
        "entitlements", "extra_hosts", "isolation", "labels", "network", "no_cache", "platforms", "privileged",
        "provenance", "pull", "sbom", "secrets", "shm_size", "ssh", "tags", "target", "ulimits",
    };

    /// <summary>Keys of a top-level network.</summary>
    public static readonly IReadOnlySet<string> Network = new HashSet<string>(StringComparer.Ordinal)
    {
        "attachable", "driver", "driver_opts", "enable_ipv4", "enable_ipv6", "external", "internal", "ipam",
        "labels", "name",
    };

    /// <summary>Keys of a top-level volume.</summary>
    public static readonly IReadOnlySet<string> Volume = new HashSet<string>(StringComparer.Ordinal)
    {
        "driver", "driver_opts", "external", "labels", "name",
    };

    /// <summary>Keys of a top-level secret.</summary>
    public static readonly IReadOnlySet<string> Secret = new HashSet<string>(StringComparer.Ordinal)
    {
        "driver", "driver_opts", "environment", "external", "file", "labels", "name", "template_driver",
    };

    /// <summary>Keys of a top-level config.</summary>
    public static readonly IReadOnlySet<string> Config = new HashSet<string>(StringComparer.Ordinal)
    {
        "content", "environment", "external", "file", "labels", "name", "template_driver",
    };
}
