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

    /// <summary>Parses <c>os/arch[/variant]</c> as given to <c>--platform</c>.</summary>
    public static PlatformSpec Parse(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            throw Oci.Errors.BerthException.Invalid($"\"{text}\": unknown operating system or architecture: invalid argument");
        return new PlatformSpec { Os = parts[0], Architecture = parts[1], Variant = parts.Length == 3 ? parts[2] : null };
    }

    public override string ToString() => string.IsNullOrEmpty(Variant) ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
