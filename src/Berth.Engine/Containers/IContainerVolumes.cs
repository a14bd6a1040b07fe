using Berth.Engine.Runtime.Bundle;
using Berth.Engine.Volumes;

namespace Berth.Engine.Containers;

/// <summary>
/// What the container lifecycle needs from volumes (implemented by <see cref="VolumeService"/>): resolve a new
/// container's mounts (making its volumes), mount them for a start, release them when it stops, and drop its
/// anonymous volumes with <c>rm -v</c>.
/// </summary>
public interface IContainerVolumes
{
    /// <summary>At create: the container's mount points from VolumesFrom, Binds, Mounts and Config.Volumes.</summary>
    Task<List<MountPointRecord>> PlanAsync(ContainerRecord container, CancellationToken cancellationToken);

    /// <summary>At start, with the root mounted at <paramref name="rootfs"/>: mounts volumes that need it, copies image content up, returns the OCI mounts.</summary>
    Task<IReadOnlyList<MountSpec>> MountAsync(ContainerRecord container, string rootfs, CancellationToken cancellationToken);

    /// <summary>When the container stopped (or its start failed): unmounts what its last user no longer needs. Idempotent.</summary>
    Task UnmountAsync(ContainerRecord container, CancellationToken cancellationToken);

    /// <summary>After the container's record is gone: removes its anonymous volumes that nothing else uses.</summary>
    Task RemoveAnonymousAsync(ContainerRecord container, CancellationToken cancellationToken);
}
