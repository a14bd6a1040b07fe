using Berth.Engine.Containers;
using Berth.Engine.Runtime.Bundle;
using Berth.Engine.Runtime.Mounts;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Volumes;

public sealed partial class VolumeService : IContainerVolumes
{
    public Task<List<MountPointRecord>> PlanAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        // A missing --volumes-from container is a bad request (400), as dockerd has it: a 404 from create would make the
        // docker CLI take the image for missing and try to pull it.
        var planner = new MountPlanner(GetOrCreateAsync, _store.DataDirOf, id =>
            _containers.TryGet(id) ?? throw BerthException.Invalid($"No such container: {id}"));
        return planner.PlanAsync(container.Config, container.HostConfig, cancellationToken);
    }

    private async Task<VolumeRecord> GetOrCreateAsync(VolumeRequest request, CancellationToken cancellationToken)
    {
        var labels = request.Labels;
        if (request.Anonymous) labels = new Dictionary<string, string>(labels ?? [], StringComparer.Ordinal) { [VolumeRecord.AnonymousLabel] = "" };
        return (await CreateAsync(request.Name, request.Driver, request.DriverOptions, labels, cancellationToken)).Volume;
    }

    public async Task<IReadOnlyList<MountSpec>> MountAsync(ContainerRecord container, string rootfs, CancellationToken cancellationToken)
    {
        var specs = new List<MountSpec>();
        var mounted = new List<MountPointRecord>();
        try
        {
            // Records from before volumes existed have no mount points yet: planned on their first start.
            foreach (var mount in container.MountPoints ??= await PlanAsync(container, cancellationToken))
            {
                switch (mount.Type)
                {
                    case "bind":
                        specs.Add(new MountSpec { Type = "bind", Source = mount.Source, Destination = mount.Destination, ReadOnly = !mount.RW, Propagation = mount.Propagation, NonRecursive = mount.NonRecursive });
                        break;
                    case "tmpfs":
                        specs.Add(new MountSpec { Type = "tmpfs", Destination = mount.Destination, ReadOnly = !mount.RW, TmpfsOptions = mount.TmpfsOptions });
                        break;
                    case "volume" when mount.Name is not null:
                        string data = await MountVolumeAsync(container.Id, mount, cancellationToken);
                        mounted.Add(mount);
                        string source = data;
                        if (mount.Subpath is not null)
                        {
                            source = Path.Combine(data, mount.Subpath);
                            if (!Path.Exists(source))
                                throw BerthException.Invalid($"error while mounting volume '{mount.Name}' subpath '{mount.Subpath}': cannot access path {source}: no such file or directory");
                        }
                        else if (mount.CopyData)
                        {
                            CopyUp.IfEmpty(rootfs, mount.Destination, data);
                        }
                        specs.Add(new MountSpec { Type = "bind", Source = source, Destination = mount.Destination, ReadOnly = !mount.RW, Propagation = "" });
                        _events.Publish("volume", "mount", mount.Name, new Dictionary<string, string>
                        {
                            ["container"] = container.Id,
                            ["destination"] = mount.Destination,
                            ["driver"] = mount.Driver ?? "local",
                            ["propagation"] = mount.Propagation,
                            ["read/write"] = mount.RW ? "true" : "false",
                        });
                        break;
                }
            }
        }
        catch
        {
            // Undone even when the start was cancelled: what was mounted must not stay mounted.
            foreach (var mount in mounted) await UnmountVolumeAsync(container.Id, mount, CancellationToken.None);
            throw;
        }
        return specs;
    }

    /// <summary>The volume's data directory, with its device mounted on it if it has one and this is its first user.</summary>
    private async Task<string> MountVolumeAsync(string containerId, MountPointRecord mount, CancellationToken cancellationToken)
    {
        var volume = _store.TryGet(mount.Name!) ?? throw BerthException.NotFound($"get {mount.Name}: no such volume");
        if (!volume.IsLocal)
        {
            // Each container's use is its own Mount on the plugin (the plugin counts them), not the first user's.
            string path = await MountOnPluginAsync(mount, cancellationToken);
            lock (_gate) ActiveOf(volume.Name).Add((containerId, mount.Destination));
            return path;
        }
        string data = _store.DataDirOf(volume.Name);
        Directory.CreateDirectory(data);
        lock (_gate)
        {
            var users = ActiveOf(volume.Name);
            if (volume.HasMountOptions && users.Count == 0 && !MountPoints.IsMountPoint(data))
            {
                try
                {
                    LocalDriverOptions.Mount(volume.Options!, data);
                }
                catch
                {
                    _active.Remove(volume.Name);
                    throw;
                }
            }
            users.Add((containerId, mount.Destination));
        }
        return data;
    }

    public async Task UnmountAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        foreach (var mount in (container.MountPoints ?? []).Where(m => m.IsVolume))
        {
            if (!await UnmountVolumeAsync(container.Id, mount, cancellationToken)) continue;
            _events.Publish("volume", "unmount", mount.Name!, new Dictionary<string, string>
            {
                ["container"] = container.Id,
                ["driver"] = mount.Driver ?? "local",
            });
        }
    }

    /// <summary>Releases one use; false when the container did not hold it (already released).</summary>
    private async Task<bool> UnmountVolumeAsync(string containerId, MountPointRecord mount, CancellationToken cancellationToken)
    {
        bool plugin = mount.Driver is not (null or "local");
        lock (_gate)
        {
            if (!_active.TryGetValue(mount.Name!, out var users) || !users.Remove((containerId, mount.Destination))) return false;
            if (users.Count == 0)
            {
                _active.Remove(mount.Name!);
                if (!plugin && _store.TryGet(mount.Name!) is { HasMountOptions: true }) LocalDriverOptions.Unmount(_store.DataDirOf(mount.Name!));
            }
        }
        // A plugin counts each use itself: every container's use ends with its own Unmount.
        if (plugin) await UnmountOnPluginAsync(containerId, mount, cancellationToken);
        return true;
    }

    public async Task RemoveAnonymousAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        foreach (var mount in (container.MountPoints ?? []).Where(m => m.IsVolume && m.Anonymous))
        {
            try
            {
                await RemoveAsync(mount.Name!, force: true, cancellationToken);
            }
            catch (BerthException e) when (e.Kind is ErrorKind.Conflict)
            {
                // Still used by another container (--volumes-from): it stays, as in Docker.
                _logger.LogDebug("volume {Name} of container {Id} kept: {Message}", mount.Name, container.ShortId, e.Message);
            }
        }
    }
}
