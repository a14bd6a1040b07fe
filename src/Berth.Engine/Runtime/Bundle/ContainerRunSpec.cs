namespace Berth.Engine.Runtime.Bundle;

/// <summary>
/// Everything <see cref="OciSpecBuilder"/> needs to know about a container to run, in Docker's terms
/// (the caller fills it from the container's Config and HostConfig, with image defaults already merged).
/// </summary>
public sealed record ContainerRunSpec
{
    public required string Id { get; init; }
    /// <summary>The container's root filesystem, already mounted by the caller; written to config.json as given.</summary>
    public required string RootfsPath { get; init; }
    /// <summary>Entrypoint and command, already merged.</summary>
    public required IReadOnlyList<string> Args { get; init; }
    /// <summary>Image env merged with the container's; PATH, HOSTNAME and (with a tty) TERM are added where absent.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];
    public string WorkingDir { get; init; } = "";
    /// <summary>"", "name", "uid", "name:group", "uid:gid", resolved against the rootfs' /etc/passwd and /etc/group.</summary>
    public string User { get; init; } = "";
    public IReadOnlyList<string> GroupAdd { get; init; } = [];
    /// <summary>Empty: the first 12 characters of the id (private UTS) or the host's name (host UTS).</summary>
    public string Hostname { get; init; } = "";
    public string Domainname { get; init; } = "";
    public bool Tty { get; init; }
    /// <summary>Not part of the bundle (the shim wires stdin); kept so the record carries the whole run description.</summary>
    public bool OpenStdin { get; init; }

    public bool ReadonlyRootfs { get; init; }
    public bool Privileged { get; init; }
    /// <summary>"NET_ADMIN", "CAP_NET_ADMIN" or "ALL".</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    public IReadOnlyList<string> CapDrop { get; init; } = [];
    /// <summary>"no-new-privileges[:true]", "seccomp=unconfined|builtin|&lt;json&gt;|&lt;path&gt;", "systempaths=unconfined"; apparmor and label are ignored.</summary>
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];
    /// <summary>Null: Docker's default masked paths. Empty: none.</summary>
    public IReadOnlyList<string>? MaskedPaths { get; init; }
    /// <summary>Null: Docker's default read-only paths. Empty: none.</summary>
    public IReadOnlyList<string>? ReadonlyPaths { get; init; }

    public long Memory { get; init; }
    /// <summary>Memory plus swap; 0 with a memory limit means twice the limit (Docker's default), -1 unlimited.</summary>
    public long MemorySwap { get; init; }
    public long MemoryReservation { get; init; }
    public long NanoCpus { get; init; }
    public long CpuShares { get; init; }
    public long CpuQuota { get; init; }
    public long CpuPeriod { get; init; }
    public string CpusetCpus { get; init; } = "";
    public string CpusetMems { get; init; } = "";
    /// <summary>Null, 0 or -1: unlimited.</summary>
    public long? PidsLimit { get; init; }
    /// <summary>Size of the private /dev/shm in bytes; 0 means Docker's 64 MiB.</summary>
    public long ShmSize { get; init; }
    public bool? OomKillDisable { get; init; }
    public int OomScoreAdj { get; init; }

    /// <summary>--tmpfs: container path to mount options ("rw,noexec,size=64m").</summary>
    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();
    /// <summary>Binds, volumes (as binds of their data directory) and tmpfs mounts from --mount.</summary>
    public IReadOnlyList<MountSpec> Mounts { get; init; } = [];

    public NamespaceMode Network { get; init; } = NamespaceMode.Private;
    public NamespaceMode Ipc { get; init; } = NamespaceMode.Private;
    public NamespaceMode Pid { get; init; } = NamespaceMode.Private;
    public NamespaceMode Uts { get; init; } = NamespaceMode.Private;
    /// <summary>Null: private on a cgroup v2 host, host on v1 (Docker's default cgroupns mode).</summary>
    public NamespaceMode? Cgroup { get; init; }
    /// <summary>
    /// Host path bind-mounted at /dev/shm: a shareable container's own tmpfs, or the one of the container whose IPC it
    /// joins. Null: a private tmpfs, /dev/shm for host IPC, /proc/PID/root/dev/shm when joining /proc/PID/ns/ipc.
    /// </summary>
    public string? ShmSource { get; init; }

    /// <summary>Files the daemon generated, bind-mounted at /etc/hosts, /etc/resolv.conf and /etc/hostname.</summary>
    public string? HostsPath { get; init; }
    public string? ResolvConfPath { get; init; }
    public string? HostnamePath { get; init; }

    /// <summary>e.g. "/berth/&lt;id&gt;" (cgroupfs driver).</summary>
    public required string CgroupsPath { get; init; }
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<Ulimit> Ulimits { get; init; } = [];
    public IReadOnlyList<DeviceMapping> Devices { get; init; } = [];
    /// <summary>--device-cgroup-rule: "c 13:* rwm".</summary>
    public IReadOnlyList<string> DeviceCgroupRules { get; init; } = [];
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();
    /// <summary>--init: a static init binary, bind-mounted at /sbin/docker-init and run as PID 1 with "--" and the args.</summary>
    public string? InitPath { get; init; }
}
