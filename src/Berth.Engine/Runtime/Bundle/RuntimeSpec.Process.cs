namespace Berth.Engine.Runtime.Bundle;

public sealed record RuntimeProcess
{
    public bool Terminal { get; init; }
    /// <summary>The terminal's size when runc creates it (exec: the client's window from the start).</summary>
    public RuntimeConsoleSize? ConsoleSize { get; init; }
    public required RuntimeUser User { get; init; }
    public required IReadOnlyList<string> Args { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public required string Cwd { get; init; }
    public RuntimeCapabilities? Capabilities { get; init; }
    public IReadOnlyList<RuntimeRlimit>? Rlimits { get; init; }
    public bool NoNewPrivileges { get; init; }
    public int? OomScoreAdj { get; init; }
}

public sealed record RuntimeUser
{
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public IReadOnlyList<uint>? AdditionalGids { get; init; }
}

/// <summary>Capability names in the kernel's spelling ("CAP_CHOWN").</summary>
public sealed record RuntimeCapabilities
{
    public IReadOnlyList<string>? Bounding { get; init; }
    public IReadOnlyList<string>? Effective { get; init; }
    public IReadOnlyList<string>? Inheritable { get; init; }
    public IReadOnlyList<string>? Permitted { get; init; }
    public IReadOnlyList<string>? Ambient { get; init; }
}

public sealed record RuntimeRlimit
{
    /// <summary>"RLIMIT_NOFILE" etc.</summary>
    public required string Type { get; init; }
    public ulong Hard { get; init; }
    public ulong Soft { get; init; }
}

public sealed record RuntimeConsoleSize
{
    public uint Height { get; init; }
    public uint Width { get; init; }
}
