namespace Berth.Engine.Runtime.Shim;

/// <summary>How a container ended: exit status (128 + signal when a signal killed it), when, and whether the kernel OOM-killed in its cgroup.</summary>
public sealed record ShimExit(int ExitCode, DateTimeOffset FinishedAt, bool OomKilled);
