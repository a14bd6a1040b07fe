namespace Berth.Compose.Execution;

/// <summary>What <c>down</c> takes.</summary>
public sealed record DownOptions
{
    /// <summary>Remove the project's named volumes and the containers' anonymous volumes (-v).</summary>
    public bool RemoveVolumes { get; init; }
    /// <summary>"all": every service's image; "local": only images without an <c>image</c> name (built ones); null: none.</summary>
    public string? RemoveImages { get; init; }
    public bool RemoveOrphans { get; init; }
    /// <summary>Stop timeout in seconds; null for each container's own.</summary>
    public int? Timeout { get; init; }
}
