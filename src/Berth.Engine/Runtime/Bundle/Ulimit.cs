namespace Berth.Engine.Runtime.Bundle;

/// <summary>A --ulimit: Name as Docker spells it ("nofile", "nproc", "core", ...); -1 means unlimited.</summary>
public sealed record Ulimit(string Name, long Soft, long Hard);
