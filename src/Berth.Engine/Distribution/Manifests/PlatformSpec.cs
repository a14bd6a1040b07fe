using System.Runtime.InteropServices;
using Cpu = System.Runtime.InteropServices.Architecture;
using System.Text.Json.Serialization;

namespace Berth.Engine.Distribution.Manifests;

/// <summary>An OCI platform (<c>linux/arm64/v8</c>), as in index entries and as the daemon's own.</summary>
public sealed class PlatformSpec
{
    [JsonPropertyName("architecture")] public string Architecture { get; set; } = "";
    [JsonPropertyName("os")] public string Os { get; set; } = "";
    [JsonPropertyName("os.version")] public string? OsVersion { get; set; }
    [JsonPropertyName("os.features")] public List<string>? OsFeatures { get; set; }
    [JsonPropertyName("variant")] public string? Variant { get; set; }
    [JsonPropertyName("features")] public List<string>? Features { get; set; }

    /// <summary>The platform the daemon runs on.</summary>
    public static PlatformSpec Host { get; } = new()
    {
        Os = "linux",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            Cpu.X64 => "amd64",
            Cpu.Arm64 => "arm64",
            Cpu.Arm => "arm",
            Cpu.X86 => "386",
            Cpu.S390x => "s390x",
            Cpu.Ppc64le => "ppc64le",
            Cpu.RiscV64 => "riscv64",
            _ => "amd64",
        },
        Variant = RuntimeInformation.OSArchitecture switch
        {
            Cpu.Arm64 => "v8",
            Cpu.Arm => "v7",
            _ => null,
        },
    };

    /// <summary>
    /// Parses a <c>--platform</c> value as containerd does: <c>os/arch[/variant]</c>, or a lone OS or architecture
    /// completed with the host's other half. The OS and architecture come back normalised (x86_64 is amd64,
    /// aarch64 is arm64, lower case); the variant as given.
    /// </summary>
    public static PlatformSpec Parse(string text)
    {
        string[] parts = text.ToLowerInvariant().Split('/');
        if (parts.Length > 3 || text.Contains('*'))
            throw Oci.Errors.BerthException.Invalid($"\"{text}\": cannot parse platform specifier: invalid argument");
        if (parts.Any(p => p.Length == 0))
            throw Oci.Errors.BerthException.Invalid($"\"{text}\": unknown operating system or architecture: invalid argument");
        if (parts.Length == 1)
        {
            if (KnownOperatingSystems.Contains(parts[0])) return Host.WithOs(parts[0]);
            string arch = NormalizedArchitecture(parts[0]);
            if (KnownArchitectures.Contains(arch)) return new PlatformSpec { Os = Host.Os, Architecture = arch };
            throw Oci.Errors.BerthException.Invalid($"\"{text}\": unknown operating system or architecture: invalid argument");
        }
        return new PlatformSpec { Os = parts[0], Architecture = NormalizedArchitecture(parts[1]), Variant = parts.Length == 3 ? parts[2] : null };
    }

    private PlatformSpec WithOs(string os) => new() { Os = os, Architecture = Architecture, Variant = Variant };

    private static string NormalizedArchitecture(string arch) => PlatformMatcher.Normalize(new PlatformSpec { Os = "", Architecture = arch }).Architecture;

    /// <summary>Go's GOOS values, which containerd accepts as a lone OS.</summary>
    private static readonly HashSet<string> KnownOperatingSystems =
        ["aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "windows", "zos"];

    /// <summary>Go's GOARCH values (after normalisation), which containerd accepts as a lone architecture.</summary>
    private static readonly HashSet<string> KnownArchitectures =
    [
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32",
        "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
    ];

    public override string ToString() => string.IsNullOrEmpty(Variant) ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
