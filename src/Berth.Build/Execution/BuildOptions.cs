using Berth.Oci.References;

namespace Berth.Build.Execution;

/// <summary>What POST /build asks for, beyond the context and its Dockerfile.</summary>
public sealed record BuildOptions
{
    public IReadOnlyList<ImageReference> Tags { get; init; } = [];

    /// <summary>--build-arg values; a null value is an arg given without one (the CLI found no such variable).</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();

    /// <summary>--label: added to the final image as a last LABEL step, as Docker adds them.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public bool NoCache { get; init; }
    public bool Pull { get; init; }
    public bool Quiet { get; init; }

    /// <summary>Remove each intermediate container once its step succeeded (Docker's default).</summary>
    public bool RemoveIntermediate { get; init; } = true;

    /// <summary>Remove intermediate containers even when their step failed.</summary>
    public bool ForceRemoveIntermediate { get; init; }

    /// <summary>The stage to stop after (--target); the last stage when null.</summary>
    public string? Target { get; init; }

    /// <summary>The resources and network of every RUN container (--network, -m, --cpu-shares, --add-host ...).</summary>
    public RunContainerSettings Run { get; init; } = new();
}

/// <summary>The host settings a build gives its RUN containers.</summary>
public sealed record RunContainerSettings
{
    public string? NetworkMode { get; init; }
    public long Memory { get; init; }
    public long MemorySwap { get; init; }
    public long CpuShares { get; init; }
    public string? CpusetCpus { get; init; }
    public long CpuPeriod { get; init; }
    public long CpuQuota { get; init; }
    public long ShmSize { get; init; }
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
}
