namespace Berth.Engine.Runtime.Bundle;

public sealed record LinuxResources
{
    public IReadOnlyList<LinuxDeviceCgroup>? Devices { get; init; }
    public LinuxMemory? Memory { get; init; }
    public LinuxCpu? Cpu { get; init; }
    public LinuxPids? Pids { get; init; }
}

/// <summary>One rule of the devices cgroup; a null Type/Major/Minor means "all".</summary>
public sealed record LinuxDeviceCgroup
{
    public bool Allow { get; init; }
    public string? Type { get; init; }
    public long? Major { get; init; }
    public long? Minor { get; init; }
    public string? Access { get; init; }
}

public sealed record LinuxMemory
{
    public long? Limit { get; init; }
    public long? Reservation { get; init; }
    /// <summary>Memory plus swap, as in cgroup v1 memsw; -1 is unlimited.</summary>
    public long? Swap { get; init; }
    public ulong? Swappiness { get; init; }
    public bool? DisableOOMKiller { get; init; }
}

public sealed record LinuxCpu
{
    public ulong? Shares { get; init; }
    public long? Quota { get; init; }
    public ulong? Period { get; init; }
    public string? Cpus { get; init; }
    public string? Mems { get; init; }
}

public sealed record LinuxPids
{
    public long Limit { get; init; }
}
