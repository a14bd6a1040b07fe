namespace Berth.Compose.Execution;

/// <summary>What <c>build</c> (and <c>up --build</c>) takes.</summary>
public sealed record BuildOptions
{
    public bool NoCache { get; init; }
    /// <summary>Always try to pull newer versions of the base images.</summary>
    public bool Pull { get; init; }
    /// <summary>--build-arg values; they win over the file's args. A null value is taken from the file or left unset.</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();
    /// <summary>-q: the daemon sends no build steps, only the result.</summary>
    public bool Quiet { get; init; }
}
