namespace Berth.Engine.Stats;

/// <summary>What a container's cgroup tells (CPU without the host's figures, memory, pids, block I/O).</summary>
public sealed record CgroupMetrics(CpuSample Cpu, MemorySample Memory, PidsSample Pids, BlkioSample Blkio);
