using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>
/// A seccomp profile in Docker's format: the OCI fields plus an archMap and per-rule includes/excludes
/// (capabilities, architectures, minimum kernel) that are resolved per container by <see cref="SeccompConverter"/>.
/// </summary>
public sealed record SeccompProfile
{
    public string? DefaultAction { get; init; }
    public uint? DefaultErrnoRet { get; init; }
    public List<string>? Architectures { get; init; }
    public List<SeccompArchMap>? ArchMap { get; init; }
    public List<string>? Flags { get; init; }
    public string? ListenerPath { get; init; }
    public string? ListenerMetadata { get; init; }
    public List<SeccompRule>? Syscalls { get; init; }

    private const string DefaultResource = "Berth.Engine.Runtime.Bundle.seccomp-default.json";
    private static readonly Lazy<SeccompProfile> DefaultProfile = new(LoadDefault);

    /// <summary>Docker's default profile, embedded in the assembly.</summary>
    public static SeccompProfile Default => DefaultProfile.Value;

    /// <summary>
    /// Parses a profile as Docker does (field names case-insensitive, unknown fields ignored). Each rule's names come
    /// out in <see cref="SyscallOrder"/>, once here rather than at every container start that converts the profile.
    /// </summary>
    public static SeccompProfile Parse(string json)
    {
        SeccompProfile profile;
        try
        {
            profile = JsonSerializer.Deserialize(json, SeccompProfileJsonContext.Default.SeccompProfile)
                ?? throw BerthException.Invalid("Decoding seccomp profile failed: the profile is null");
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid($"Decoding seccomp profile failed: {e.Message}");
        }
        return profile with
        {
            Syscalls = profile.Syscalls?.Select(rule => rule.Names is null ? rule : rule with { Names = SyscallOrder.HighestFirst(rule.Names) }).ToList(),
        };
    }

    private static SeccompProfile LoadDefault()
    {
        using var stream = typeof(SeccompProfile).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw BerthException.Internal($"embedded resource {DefaultResource} is missing from the engine assembly");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}

public sealed record SeccompArchMap
{
    public required string Architecture { get; init; }
    public List<string>? SubArchitectures { get; init; }
}

public sealed record SeccompRule
{
    public string? Name { get; init; }
    public List<string>? Names { get; init; }
    public required string Action { get; init; }
    public uint? ErrnoRet { get; init; }
    public List<LinuxSeccompArg>? Args { get; init; }
    public string? Comment { get; init; }
    public SeccompFilter? Includes { get; init; }
    public SeccompFilter? Excludes { get; init; }
}

/// <summary>Conditions on a rule: Arches are Go's names ("amd64"), Caps kernel names, MinKernel "major.minor".</summary>
public sealed record SeccompFilter
{
    public List<string>? Caps { get; init; }
    public List<string>? Arches { get; init; }
    public string? MinKernel { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(SeccompProfile))]
internal sealed partial class SeccompProfileJsonContext : JsonSerializerContext;
