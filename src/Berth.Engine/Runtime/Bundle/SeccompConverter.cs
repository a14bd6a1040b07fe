using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>
/// Turns a Docker seccomp profile into the OCI <c>linux.seccomp</c> of one container, as Docker's setupSeccomp:
/// architectures from the archMap entry of the host's architecture, and each rule kept only when its includes
/// hold and its excludes do not, judged against the host architecture, the kernel version and the container's
/// bounding capabilities (so CAP_SYS_ADMIN brings mount, unshare, setns...).
/// </summary>
public static class SeccompConverter
{
    private static readonly Dictionary<string, string> GoToNative = new(StringComparer.Ordinal)
    {
        ["386"] = "SCMP_ARCH_X86",
        ["amd64"] = "SCMP_ARCH_X86_64",
        ["arm"] = "SCMP_ARCH_ARM",
        ["arm64"] = "SCMP_ARCH_AARCH64",
        ["mips"] = "SCMP_ARCH_MIPS",
        ["mipsle"] = "SCMP_ARCH_MIPSEL",
        ["mips64"] = "SCMP_ARCH_MIPS64",
        ["mips64le"] = "SCMP_ARCH_MIPSEL64",
        ["ppc"] = "SCMP_ARCH_PPC",
        ["ppc64"] = "SCMP_ARCH_PPC64",
        ["ppc64le"] = "SCMP_ARCH_PPC64LE",
        ["riscv64"] = "SCMP_ARCH_RISCV64",
        ["s390"] = "SCMP_ARCH_S390",
        ["s390x"] = "SCMP_ARCH_S390X",
        ["loong64"] = "SCMP_ARCH_LOONGARCH64",
    };

    /// <summary>Null when the profile has neither a default action nor rules (Docker reads that as "no seccomp").</summary>
    public static LinuxSeccomp? Convert(SeccompProfile profile, IReadOnlyCollection<string> boundingCaps, HostLimits host)
    {
        if (string.IsNullOrEmpty(profile.DefaultAction) && (profile.Syscalls is null || profile.Syscalls.Count == 0))
            return null;
        if (profile.Architectures is { Count: > 0 } && profile.ArchMap is { Count: > 0 })
            throw BerthException.Invalid("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");

        var architectures = new List<string>(profile.Architectures ?? []);
        string nativeArch = GoToNative.GetValueOrDefault(host.Architecture, "");
        foreach (var entry in profile.ArchMap ?? [])
        {
            if (entry.Architecture != nativeArch) continue;
            architectures.Add(entry.Architecture);
            architectures.AddRange(entry.SubArchitectures ?? []);
        }

        var syscalls = new List<LinuxSyscall>();
        foreach (var rule in profile.Syscalls ?? [])
        {
            var names = NamesOf(rule);
            if (Excluded(rule.Excludes, boundingCaps, host) || !Included(rule.Includes, boundingCaps, host)) continue;
            syscalls.Add(new LinuxSyscall
            {
                Names = names,
                Action = rule.Action,
                ErrnoRet = rule.ErrnoRet,
                Args = rule.Args is { Count: > 0 } ? rule.Args : null,
            });
        }

        return new LinuxSeccomp
        {
            DefaultAction = profile.DefaultAction ?? "",
            DefaultErrnoRet = profile.DefaultErrnoRet,
            Architectures = architectures.Count > 0 ? architectures : null,
            Flags = profile.Flags is { Count: > 0 } ? profile.Flags : null,
            ListenerPath = string.IsNullOrEmpty(profile.ListenerPath) ? null : profile.ListenerPath,
            ListenerMetadata = string.IsNullOrEmpty(profile.ListenerMetadata) ? null : profile.ListenerMetadata,
            Syscalls = syscalls,
        };
    }

    private static List<string> NamesOf(SeccompRule rule)
    {
        if (string.IsNullOrEmpty(rule.Name)) return rule.Names ?? [];
        if (rule.Names is { Count: > 0 })
            throw BerthException.Invalid("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
        return [rule.Name];
    }

    /// <summary>Any one matching condition excludes the rule.</summary>
    private static bool Excluded(SeccompFilter? excludes, IReadOnlyCollection<string> caps, HostLimits host)
    {
        if (excludes is null) return false;
        if (excludes.Arches is { Count: > 0 } && excludes.Arches.Contains(host.Architecture)) return true;
        if (excludes.Caps is { Count: > 0 } && excludes.Caps.Any(caps.Contains)) return true;
        return excludes.MinKernel is { Length: > 0 } min && KernelAtLeast(host, min);
    }

    /// <summary>Every condition must hold for the rule to be included.</summary>
    private static bool Included(SeccompFilter? includes, IReadOnlyCollection<string> caps, HostLimits host)
    {
        if (includes is null) return true;
        if (includes.Arches is { Count: > 0 } && !includes.Arches.Contains(host.Architecture)) return false;
        if (includes.Caps is { Count: > 0 } && !includes.Caps.All(caps.Contains)) return false;
        return includes.MinKernel is not { Length: > 0 } min || KernelAtLeast(host, min);
    }

    /// <summary>Docker's KernelVersion: "major.minor", compared on those two numbers only.</summary>
    private static bool KernelAtLeast(HostLimits host, string minKernel) =>
        new Version(host.KernelVersion.Major, host.KernelVersion.Minor) >= ParseMinKernel(minKernel);

    private static Version ParseMinKernel(string text)
    {
        string[] parts = text.Split('.');
        if (parts.Length < 2 || !int.TryParse(parts[0], out int major) || !int.TryParse(parts[1], out int minor)
            || major < 0 || minor < 0)
            throw BerthException.Invalid($"invalid kernel version: {text}");
        return new Version(major, minor);
    }
}
