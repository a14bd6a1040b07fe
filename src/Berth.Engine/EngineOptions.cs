using Berth.Api;

namespace Berth.Engine;

/// <summary>How the engine runs containers: which programs, and the cgroup parent all containers go under.</summary>
public sealed class EngineOptions
{
    /// <summary>berthd's runc (the built-in runtime "runc" of <see cref="Runtimes"/>).</summary>
    public string RuntimePath { get; set; } = "/usr/sbin/runc";

    /// <summary>daemon.json "runtimes" and "default-runtime": the runtimes containers can name in HostConfig.Runtime.</summary>
    public Runtime.OciRuntimes Runtimes { get; set; } = new("/usr/sbin/runc", []);
    public string ShimPath { get; set; } = "/usr/local/bin/berth-shim";
    public string CgroupParent { get; set; } = "/berth";
    public int DefaultStopTimeoutSeconds { get; set; } = 10;

    /// <summary>daemon.json "log-driver" and "log-opts": the logging of containers that name no driver.</summary>
    public LogConfig DefaultLogConfig { get; set; } = new() { Type = "json-file", Config = [] };

    /// <summary>daemon.json "dns", "dns-search" and "dns-opts": resolv.conf for containers that set none of their own.</summary>
    public DnsDefaults Dns { get; set; } = new([], [], []);

    /// <summary>daemon.json "default-ulimits": limits a container gets for every name it does not set itself.</summary>
    public IReadOnlyList<Runtime.Bundle.Ulimit> DefaultUlimits { get; set; } = [];

    /// <summary>daemon.json "default-shm-size": /dev/shm's size for containers that ask for none.</summary>
    public long DefaultShmSize { get; set; } = 64L * 1024 * 1024;

    /// <summary>daemon.json "no-new-privileges": containers run with no_new_privs unless they say no-new-privileges=false.</summary>
    public bool NoNewPrivileges { get; set; }

    /// <summary>daemon.json "init": containers that don't say (HostConfig.Init null) run under the init.</summary>
    public bool Init { get; set; }

    /// <summary>daemon.json "init-path": the static init bind-mounted at /sbin/docker-init (Debian's tini).</summary>
    public string InitPath { get; set; } = "/usr/bin/tini-static";

    /// <summary>daemon.json "default-ipc-mode": the IpcMode of containers that set none ("private" or "shareable").</summary>
    public string DefaultIpcMode { get; set; } = "private";

    /// <summary>daemon.json "default-cgroupns-mode": the CgroupnsMode of containers that set none ("host" or "private").</summary>
    public string DefaultCgroupnsMode { get; set; } = "host";

    /// <summary>
    /// daemon.json "seccomp-profile", as a --security-opt seccomp= value for unprivileged containers that give none of
    /// their own: a profile's JSON, or "unconfined"; null for Docker's built-in profile.
    /// </summary>
    public string? DefaultSeccomp { get; set; }
}

/// <summary>The daemon's name servers, search domains and resolver options; empty lists leave the host's in place.</summary>
public sealed record DnsDefaults(IReadOnlyList<string> Servers, IReadOnlyList<string> Search, IReadOnlyList<string> Options);
