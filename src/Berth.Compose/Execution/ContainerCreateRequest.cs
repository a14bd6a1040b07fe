using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>Everything that decides a container's create body, besides the service itself.</summary>
public sealed record ContainerCreateRequest
{
    public required ComposeProject Project { get; init; }
    /// <summary>The service, with a one-off's overrides already applied.</summary>
    public required ServiceConfig Service { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    /// <summary>The image reference the container is created from (the service's image name).</summary>
    public required string Image { get; init; }
    /// <summary>The containers of other services, by service, in number order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ContainerRef>> ServiceContainers { get; init; } = new Dictionary<string, IReadOnlyList<ContainerRef>>();
    /// <summary>Anonymous volumes of the replaced container, by target.</summary>
    public IReadOnlyDictionary<string, string> InheritedVolumes { get; init; } = new Dictionary<string, string>();
    /// <summary>Aliases the service name and the configured aliases on each network (not for one-off containers).</summary>
    public bool UseNetworkAliases { get; init; } = true;
    public bool AutoRemove { get; init; }
    public bool AttachStdin { get; init; }
}
