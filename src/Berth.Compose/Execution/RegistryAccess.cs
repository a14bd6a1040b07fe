namespace Berth.Compose.Execution;

/// <summary>
/// The registry credentials the CLI holds, for the daemon's pulls, pushes and builds. The runner never reads the
/// CLI's config itself.
/// </summary>
public sealed class RegistryAccess
{
    public static readonly RegistryAccess Anonymous = new();

    /// <summary>The X-Registry-Auth value (base64url JSON) for an image reference, or null to send none.</summary>
    public Func<string, CancellationToken, Task<string?>> AuthFor { get; init; } = (_, _) => Task.FromResult<string?>(null);

    /// <summary>The X-Registry-Config value (every stored login) sent with builds; "e30=" is an empty object.</summary>
    public Func<CancellationToken, Task<string>> BuildConfig { get; init; } = _ => Task.FromResult("e30=");

    internal Task<string?> AuthForAsync(string image, CancellationToken ct) => AuthFor(image, ct);

    internal Task<string> BuildConfigAsync(CancellationToken ct) => BuildConfig(ct);
}
