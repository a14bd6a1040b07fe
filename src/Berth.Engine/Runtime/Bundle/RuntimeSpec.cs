namespace Berth.Engine.Runtime.Bundle;

/// <summary>
/// The OCI runtime configuration (<c>config.json</c> of a bundle), limited to the fields Berth fills.
/// Property names follow the OCI schema through <see cref="RuntimeSpecJsonContext"/> (camelCase, nulls omitted).
/// </summary>
public sealed record RuntimeSpec
{
    /// <summary>The spec version runc 1.1 declares; runc accepts any 1.0.x.</summary>
    public const string Version = "1.0.2-dev";

    public string OciVersion { get; init; } = Version;
    public required RuntimeProcess Process { get; init; }
    public required RuntimeRoot Root { get; init; }
    public string? Hostname { get; init; }
    public IReadOnlyList<RuntimeMount> Mounts { get; init; } = [];
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public required RuntimeLinux Linux { get; init; }
}

public sealed record RuntimeRoot
{
    /// <summary>Absolute, or relative to the bundle directory.</summary>
    public required string Path { get; init; }
    public bool Readonly { get; init; }
}

public sealed record RuntimeMount
{
    public required string Destination { get; init; }
    public string? Type { get; init; }
    public string? Source { get; init; }
    public IReadOnlyList<string>? Options { get; init; }
}
