namespace Berth.Compose.Execution;

/// <summary>What <c>up</c> and <c>create</c> take.</summary>
public sealed record UpOptions
{
    /// <summary>The services named on the command line; empty means all.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];
    /// <summary>Leave the dependencies of the named services alone.</summary>
    public bool NoDeps { get; init; }
    public bool ForceRecreate { get; init; }
    public bool NoRecreate { get; init; }
    /// <summary>Create (and recreate) containers without starting them.</summary>
    public bool NoStart { get; init; }
    /// <summary>Build the images of services that have a build section before starting.</summary>
    public bool Build { get; init; }
    /// <summary>Never build, even a missing image.</summary>
    public bool NoBuild { get; init; }
    /// <summary>always, missing, never or build: overrides every service's pull_policy.</summary>
    public string? Pull { get; init; }
    public bool RemoveOrphans { get; init; }
    /// <summary>Containers per service, overriding scale and deploy.replicas.</summary>
    public IReadOnlyDictionary<string, int> Scale { get; init; } = new Dictionary<string, int>();
    /// <summary>After starting, wait until every container is running, or healthy when it has a health check.</summary>
    public bool Wait { get; init; }
    /// <summary>Seconds to wait with <see cref="Wait"/>; null for no limit.</summary>
    public int? WaitTimeout { get; init; }
    /// <summary>Stop timeout for containers stopped on recreate or scale-down; null for the container's own.</summary>
    public int? Timeout { get; init; }
    /// <summary>Anonymous volumes of a recreated container are not carried to the new one (-V).</summary>
    public bool RenewAnonymousVolumes { get; init; }
    /// <summary>Build settings when something is built.</summary>
    public BuildOptions BuildOptions { get; init; } = new();
}
