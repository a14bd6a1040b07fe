namespace Berth.Compose.Execution;

/// <summary>An existing container of a service, as a dependent container refers to it (network_mode, volumes_from, links).</summary>
public sealed record ContainerRef(string Id, string Name);
