namespace Berth.Compose.Model;

/// <summary>
/// One service, in long syntax only: every short form (port strings, volume strings, environment lists, depends_on
/// lists, a build string, a duration string ...) has been read into the records below. Paths are absolute.
/// Null means "not set", so the engine's or image's default applies.
/// </summary>
public sealed record ServiceConfig
{
    public required string Name { get; init; }
    public string? Image { get; init; }
    public BuildConfig? Build { get; init; }

    /// <summary>Command and entrypoint as argv; a string in the file is split as a shell would split it.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>
    /// The environment after env_file and environment are combined (environment wins). A null value is a variable
    /// named without a value that the shell does not define either: Compose leaves it out of the container.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? ContainerName { get; init; }
    public string? Hostname { get; init; }
    public string? Domainname { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public string? Platform { get; init; }

    public IReadOnlyList<ServicePort> Ports { get; init; } = [];
    /// <summary>Exposed ports as the engine keys them: "80/tcp", ranges expanded.</summary>
    public IReadOnlyList<string> Expose { get; init; } = [];
    public IReadOnlyList<ServiceVolume> Volumes { get; init; } = [];
    /// <summary>tmpfs mount targets, each optionally with ":options" as docker's --tmpfs takes it.</summary>
    public IReadOnlyList<string> Tmpfs { get; init; } = [];
    public IReadOnlyList<string> VolumesFrom { get; init; } = [];

    /// <summary>The networks the service joins, by their key in the project's networks. Empty with NetworkMode set.</summary>
    public IReadOnlyDictionary<string, ServiceNetwork> Networks { get; init; } = new Dictionary<string, ServiceNetwork>();
    /// <summary>host, none, bridge, container:NAME, service:NAME; null when the service joins Networks.</summary>
    public string? NetworkMode { get; init; }
    public IReadOnlyList<string> Links { get; init; } = [];
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    public IReadOnlyList<string> Dns { get; init; } = [];
    public IReadOnlyList<string> DnsSearch { get; init; } = [];
    public IReadOnlyList<string> DnsOpt { get; init; } = [];
    public string? MacAddress { get; init; }

    public IReadOnlyDictionary<string, DependsOn> DependsOn { get; init; } = new Dictionary<string, DependsOn>();

    /// <summary>no, always, on-failure[:N], unless-stopped; null when not set.</summary>
    public string? Restart { get; init; }
    public HealthCheckConfig? HealthCheck { get; init; }
    public string? StopSignal { get; init; }
    public TimeSpan? StopGracePeriod { get; init; }

    public bool? Init { get; init; }
    public bool Privileged { get; init; }
    public bool ReadOnly { get; init; }
    public bool Tty { get; init; }
    public bool StdinOpen { get; init; }
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    public IReadOnlyList<string> CapDrop { get; init; } = [];
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];
    public IReadOnlyList<string> GroupAdd { get; init; } = [];
    public IReadOnlyList<string> Devices { get; init; } = [];
    public string? Ipc { get; init; }
    public string? Pid { get; init; }
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, Ulimit> Ulimits { get; init; } = new Dictionary<string, Ulimit>();

    /// <summary>Bytes; from mem_limit or deploy.resources.limits.memory.</summary>
    public long? MemLimit { get; init; }
    public long? MemswapLimit { get; init; }
    public long? MemReservation { get; init; }
    /// <summary>CPUs as a fraction (1.5); from cpus or deploy.resources.limits.cpus.</summary>
    public double? Cpus { get; init; }
    public long? CpuShares { get; init; }
    public string? Cpuset { get; init; }
    public long? PidsLimit { get; init; }
    public long? ShmSize { get; init; }
    public bool? OomKillDisable { get; init; }
    public int? OomScoreAdj { get; init; }

    /// <summary>How many containers: scale, or deploy.replicas; null means one.</summary>
    public int? Scale { get; init; }
    /// <summary>deploy's swarm-only keys (resources and replicas are read into the members above).</summary>
    public DeployConfig? Deploy { get; init; }
    public IReadOnlyList<string> Profiles { get; init; } = [];
    /// <summary>always, never, missing, build, if_not_present; null when not set.</summary>
    public string? PullPolicy { get; init; }
    public LoggingConfig? Logging { get; init; }

    public IReadOnlyList<ServiceFileReference> Secrets { get; init; } = [];
    public IReadOnlyList<ServiceFileReference> Configs { get; init; } = [];
}

public sealed record BuildConfig
{
    /// <summary>Absolute path of the build context (URLs are kept as they are).</summary>
    public required string Context { get; init; }
    /// <summary>The Dockerfile, relative to the context as the engine takes it; null for "Dockerfile".</summary>
    public string? Dockerfile { get; init; }
    /// <summary>An inline Dockerfile (dockerfile_inline).</summary>
    public string? DockerfileInline { get; init; }
    public IReadOnlyDictionary<string, string?> Args { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string? Target { get; init; }
    public string? Network { get; init; }
    public IReadOnlyList<string> CacheFrom { get; init; } = [];
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public bool NoCache { get; init; }
    public bool Pull { get; init; }
    public long? ShmSize { get; init; }
}

/// <summary>A published or exposed port, long syntax. Published is a port or a range ("8000-8010"), null for any.</summary>
public sealed record ServicePort
{
    public required int Target { get; init; }
    public string? Published { get; init; }
    public string? HostIp { get; init; }
    /// <summary>tcp or udp.</summary>
    public string Protocol { get; init; } = "tcp";
    /// <summary>ingress (the default, meaning a plain published port outside swarm) or host.</summary>
    public string Mode { get; init; } = "ingress";
    public string? Name { get; init; }
}

/// <summary>A mount, long syntax. Source is an absolute host path for binds, a key of the project's volumes or an
/// engine volume name for volumes, null for an anonymous volume or a tmpfs.</summary>
public sealed record ServiceVolume
{
    /// <summary>bind, volume or tmpfs (npipe and cluster are refused by the reader).</summary>
    public required string Type { get; init; }
    public string? Source { get; init; }
    public required string Target { get; init; }
    public bool ReadOnly { get; init; }
    /// <summary>Bind options: propagation and whether a missing host path is created (true for short syntax).</summary>
    public string? BindPropagation { get; init; }
    public bool CreateHostPath { get; init; }
    public bool VolumeNoCopy { get; init; }
    public IReadOnlyDictionary<string, string> VolumeLabels { get; init; } = new Dictionary<string, string>();
    public long? TmpfsSize { get; init; }
    public int? TmpfsMode { get; init; }
    /// <summary>z or Z from short syntax; kept for the engine's Binds.</summary>
    public string? Selinux { get; init; }
}

public sealed record ServiceNetwork
{
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public string? Ipv4Address { get; init; }
    public string? Ipv6Address { get; init; }
    public string? MacAddress { get; init; }
    public int? Priority { get; init; }
}

public sealed record DependsOn
{
    /// <summary>service_started, service_healthy or service_completed_successfully.</summary>
    public string Condition { get; init; } = "service_started";
    public bool Restart { get; init; }
    public bool Required { get; init; } = true;
}

public sealed record HealthCheckConfig
{
    /// <summary>As the engine takes it: ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]; null keeps the image's.</summary>
    public IReadOnlyList<string>? Test { get; init; }
    public TimeSpan? Interval { get; init; }
    public TimeSpan? Timeout { get; init; }
    public TimeSpan? StartPeriod { get; init; }
    public TimeSpan? StartInterval { get; init; }
    public int? Retries { get; init; }
    public bool Disable { get; init; }
}

public sealed record Ulimit(long Soft, long Hard);

public sealed record LoggingConfig
{
    public string? Driver { get; init; }
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}

/// <summary>A service's use of a secret or config: which one, and where it appears in the container.</summary>
public sealed record ServiceFileReference
{
    public required string Source { get; init; }
    /// <summary>Absolute path in the container (secrets default to /run/secrets/SOURCE, configs to /SOURCE).</summary>
    public required string Target { get; init; }
    /// <summary>Owner and permissions of the file in swarm mode (stack deploy); null: swarm's 0, 0 and 0444.</summary>
    public string? Uid { get; init; }
    public string? Gid { get; init; }
    public int? Mode { get; init; }
}
