using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>What <c>run</c> takes to create its one-off container.</summary>
public sealed record RunOptions
{
    /// <summary>Replaces the service's command when not null.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    /// <summary>Replaces the service's entrypoint when not null (an empty list clears it).</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }
    /// <summary>-e values added to (and winning over) the service's environment; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    /// <summary>--name; else <c>{project}-{service}-run-{12 hex}</c>.</summary>
    public string? Name { get; init; }
    /// <summary>-p ports, in addition to the service's own when <see cref="ServicePorts"/>.</summary>
    public IReadOnlyList<ServicePort> Publish { get; init; } = [];
    /// <summary>--service-ports: publish the service's ports (off by default for run).</summary>
    public bool ServicePorts { get; init; }
    /// <summary>-v mounts added to the service's.</summary>
    public IReadOnlyList<ServiceVolume> Volumes { get; init; } = [];
    /// <summary>--rm: the daemon removes the container when it exits.</summary>
    public bool AutoRemove { get; init; }
    /// <summary>Allocate a TTY (the CLI clears it for -T or when its stdin is not a terminal).</summary>
    public bool Tty { get; init; } = true;
    /// <summary>Keep stdin open and attach it (-i, the default of run).</summary>
    public bool Interactive { get; init; } = true;
    /// <summary>Do not start the linked services.</summary>
    public bool NoDeps { get; init; }
    /// <summary>Build the image first when the service has a build section.</summary>
    public bool Build { get; init; }
    /// <summary>Pull policy override for the images involved.</summary>
    public string? Pull { get; init; }
    /// <summary>--use-aliases: alias the one-off container by the service name and the configured aliases too (off by
    /// default, so a one-off container takes no traffic meant for the service).</summary>
    public bool UseAliases { get; init; }
    /// <summary>Remove containers of services no longer in the project while starting the dependencies.</summary>
    public bool RemoveOrphans { get; init; }
}
