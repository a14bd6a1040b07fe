using System.Runtime.InteropServices;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>
/// What the daemon's host lets a container have: the daemon's own hard rlimits and capability bounding set
/// (runc cannot grant more than it holds), and the kernel facts the seccomp profile and cgroup settings depend on.
/// The daemon uses <see cref="Current"/>; tests construct it directly.
/// </summary>
public sealed record HostLimits
{
    /// <summary>Hard limits by OCI name ("RLIMIT_NOFILE"); <see cref="ulong.MaxValue"/> is unlimited.</summary>
    public IReadOnlyDictionary<string, ulong> HardRlimits { get; init; } = new Dictionary<string, ulong>();
    /// <summary>CAP_SYS_RESOURCE is effective: hard limits may be raised above the daemon's own.</summary>
    public bool CanRaiseRlimits { get; init; }
    /// <summary>Bit n set: capability n may be given to a container.</summary>
    public ulong CapabilityBoundingSet { get; init; } = ulong.MaxValue;
    /// <summary>The highest capability number the kernel knows (/proc/sys/kernel/cap_last_cap).</summary>
    public int LastCapability { get; init; } = Capabilities.LastKnown;
    public Version KernelVersion { get; init; } = new(0, 0);
    /// <summary>Go's name for the CPU architecture ("amd64", "arm64"), as the seccomp profile's arches use it.</summary>
    public string Architecture { get; init; } = "amd64";
    public bool CgroupV2 { get; init; }
    /// <summary>The memory cgroup can limit swap (memsw on v1); otherwise a swap limit is left out, as Docker does.</summary>
    public bool SwapLimitSupported { get; init; } = true;

    public ulong HardLimitOf(string rlimitType) =>
        HardRlimits.TryGetValue(rlimitType, out ulong hard) ? hard : ulong.MaxValue;

    public bool HasCapability(int number) =>
        number >= 0 && number <= LastCapability && number < 64 && (CapabilityBoundingSet & (1UL << number)) != 0;

    private static readonly Lazy<HostLimits> CurrentHost = new(Read);

    /// <summary>This process' view of the host, read once: none of it changes while the daemon runs.</summary>
    public static HostLimits Current => CurrentHost.Value;

    /// <summary>This process' view of the host, from /proc, read now.</summary>
    public static HostLimits Read()
    {
        var status = ReadStatusFields("/proc/self/status");
        bool cgroupV2 = File.Exists("/sys/fs/cgroup/cgroup.controllers");
        ulong effective = status.TryGetValue("CapEff", out var eff) ? ParseHex(eff) : 0;
        return new HostLimits
        {
            HardRlimits = ProcLimits.ReadHardLimits("/proc/self/limits"),
            CanRaiseRlimits = (effective & (1UL << Capabilities.SysResource)) != 0,
            CapabilityBoundingSet = status.TryGetValue("CapBnd", out var bnd) ? ParseHex(bnd) : ulong.MaxValue,
            LastCapability = ReadInt("/proc/sys/kernel/cap_last_cap") ?? Capabilities.LastKnown,
            KernelVersion = ParseKernelVersion(ReadText("/proc/sys/kernel/osrelease") ?? ""),
            Architecture = GoArchitecture(RuntimeInformation.OSArchitecture),
            CgroupV2 = cgroupV2,
            SwapLimitSupported = cgroupV2
                ? (ReadText("/sys/fs/cgroup/cgroup.controllers") ?? "").Split(' ').Contains("memory")
                : File.Exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"),
        };
    }

    /// <summary>"6.18.0-1-amd64" → 6.18.0; what cannot be read is 0.0, which satisfies no minKernel.</summary>
    public static Version ParseKernelVersion(string release)
    {
        var numbers = new List<int>();
        foreach (string part in release.Trim().Split('.', 3))
        {
            int digits = 0;
            while (digits < part.Length && char.IsAsciiDigit(part[digits])) digits++;
            if (digits == 0 || !int.TryParse(part.AsSpan(0, digits), out int n)) break;
            numbers.Add(n);
            if (digits < part.Length) break;
        }
        return numbers.Count switch
        {
            0 => new Version(0, 0),
            1 => new Version(numbers[0], 0),
            2 => new Version(numbers[0], numbers[1]),
            _ => new Version(numbers[0], numbers[1], numbers[2]),
        };
    }

    public static string GoArchitecture(Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm or System.Runtime.InteropServices.Architecture.Armv6 => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    private static Dictionary<string, string> ReadStatusFields(string path)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in (ReadText(path) ?? "").Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon > 0) fields[line[..colon]] = line[(colon + 1)..].Trim();
        }
        return fields;
    }

    private static ulong ParseHex(string text) =>
        ulong.TryParse(text, System.Globalization.NumberStyles.HexNumber, null, out ulong value) ? value : 0;

    private static int? ReadInt(string path) => int.TryParse(ReadText(path)?.Trim(), out int value) ? value : null;

    private static string? ReadText(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
