namespace Berth.Engine.Runtime.Bundle;

public sealed record RuntimeLinux
{
    public IReadOnlyDictionary<string, string>? Sysctl { get; init; }
    public LinuxResources? Resources { get; init; }
    public string? CgroupsPath { get; init; }
    public IReadOnlyList<LinuxNamespace> Namespaces { get; init; } = [];
    public IReadOnlyList<LinuxDevice>? Devices { get; init; }
    public LinuxSeccomp? Seccomp { get; init; }
    /// <summary>"shared", "rslave", ... ; null leaves runc's default (rprivate).</summary>
    public string? RootfsPropagation { get; init; }
    public IReadOnlyList<string>? MaskedPaths { get; init; }
    public IReadOnlyList<string>? ReadonlyPaths { get; init; }
}

/// <summary>A namespace to create (no path) or to join (path of an nsfs file such as /proc/PID/ns/net).</summary>
public sealed record LinuxNamespace
{
    /// <summary>"pid", "network", "mount", "ipc", "uts", "user", "cgroup".</summary>
    public required string Type { get; init; }
    public string? Path { get; init; }
}

/// <summary>A device node runc creates inside the container.</summary>
public sealed record LinuxDevice
{
    public required string Path { get; init; }
    /// <summary>"c", "b", "u" or "p".</summary>
    public required string Type { get; init; }
    public long Major { get; init; }
    public long Minor { get; init; }
    public uint? FileMode { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
}
