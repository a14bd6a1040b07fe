using Berth.Engine.Runtime.Bundle;

namespace Berth.Engine.Containers;

/// <summary>
/// What the container lifecycle needs from networking (implemented by <see cref="Networks.NetworkService"/>): make a
/// container's namespace, endpoints and published ports before runc starts it, and undo all of it when it stops.
/// </summary>
public interface IContainerNetworking
{
    /// <summary>
    /// Connects the container; on failure nothing is left behind and the error is dockerd's. The namespace and the
    /// addresses exist when this returns; the rest may still be in the making until <see cref="NetworkSetup.Ready"/>.
    /// </summary>
    Task<NetworkSetup> SetUpAsync(ContainerRecord container, CancellationToken cancellationToken);

    /// <summary>Releases whatever <see cref="SetUpAsync"/> made; idempotent and safe after a partial setup.</summary>
    Task TearDownAsync(ContainerRecord container);

    /// <summary>Reports the networks joined (connect events) once the start is certain, just before the start event.</summary>
    void ReportConnected(ContainerRecord container);
}

/// <summary>The namespace for the OCI spec, and what goes into the container's /etc/hosts and resolv.conf.</summary>
/// <param name="HostsEntries">Lines such as "172.18.0.2\tweb" appended to /etc/hosts.</param>
/// <param name="ResolvConf">The resolv.conf to write, or null for the host-derived one.</param>
public sealed record NetworkSetup(NamespaceMode Namespace, IReadOnlyList<string> HostsEntries, string? ResolvConf)
{
    /// <summary>
    /// Completes when the devices, routes, published ports and DNS are in place: awaited before the container's program
    /// starts, and before a failed start tears the network down (a failure here is the start's failure).
    /// </summary>
    public Task Ready { get; init; } = Task.CompletedTask;
}
