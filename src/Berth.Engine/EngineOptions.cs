using Berth.Api;

namespace Berth.Engine;

/// <summary>How the engine runs containers: which programs, and the cgroup parent all containers go under.</summary>
public sealed class EngineOptions
{
    public string RuntimePath { get; set; } = "/usr/sbin/runc";
    public string ShimPath { get; set; } = "/usr/local/bin/berth-shim";
    public string CgroupParent { get; set; } = "/berth";
    public int DefaultStopTimeoutSeconds { get; set; } = 10;

    /// <summary>daemon.json "log-driver" and "log-opts": the logging of containers that name no driver.</summary>
    public LogConfig DefaultLogConfig { get; set; } = new() { Type = "json-file", Config = [] };

    /// <summary>daemon.json "init": containers that don't say (HostConfig.Init null) run under the init.</summary>
    public bool Init { get; set; }

    /// <summary>daemon.json "init-path": the static init bind-mounted at /sbin/docker-init (Debian's tini).</summary>
    public string InitPath { get; set; } = "/usr/bin/tini-static";
}
