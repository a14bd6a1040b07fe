using System.Globalization;
using System.Runtime.InteropServices;
using Berth.Engine.Runtime.Bundle;
using Berth.Engine.Runtime.Mounts;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

/// <summary>
/// /dev/shm of containers whose IPC namespace others may join (<c>--ipc shareable</c>). As dockerd does, its tmpfs is
/// mounted on the host (in the container's state directory) and bind-mounted into the container, so that a container
/// started later with <c>--ipc container:NAME</c> can bind the same one: a mount inside another container's mount
/// namespace cannot be bind-mounted from outside it. The directory exists only while its tmpfs is mounted.
/// </summary>
public sealed partial class ContainerService
{
    private string SharedShmOf(ContainerRecord container) => Path.Combine(_paths.BundleOf(container.Id), "shm");

    /// <summary>The host directory bind-mounted at the container's /dev/shm, or null for its own private tmpfs.</summary>
    internal string? ShmSourceOf(ContainerRecord container)
    {
        string mode = container.HostConfig.IpcMode ?? "";
        if (mode == "shareable") return SharedShmOf(container);
        if (DonorOf(mode) is not { } name || _store.Get(name) is not { HostConfig.IpcMode: "shareable" } donor) return null;
        string shared = SharedShmOf(donor);
        if (!Directory.Exists(shared))
            throw BerthException.Internal($"can't join IPC of container {donor.Id}: its /dev/shm is not shared (restart it to make it shareable)");
        return shared;
    }

    /// <summary>Mounts a shareable container's /dev/shm on the host, Docker's size and options.</summary>
    private void MountSharedShm(ContainerRecord container)
    {
        if (container.HostConfig.IpcMode != "shareable") return;
        string target = SharedShmOf(container);
        OverlayMount.Unmount(target);
        Directory.CreateDirectory(target);
        long size = container.HostConfig.ShmSize > 0 ? container.HostConfig.ShmSize : OciSpecBuilder.DefaultShmSize;
        string options = "mode=1777,size=" + size.ToString(CultureInfo.InvariantCulture);
        if (Syscalls.Mount("shm", target, "tmpfs", Syscalls.MS_NOSUID | Syscalls.MS_NODEV | Syscalls.MS_NOEXEC, options) != 0)
        {
            string error = Marshal.GetLastPInvokeErrorMessage();
            Directory.Delete(target);
            throw BerthException.Internal($"mounting shm tmpfs: {error}");
        }
    }

    /// <summary>Once the container is down: containers that joined its IPC keep their own mount of the tmpfs.</summary>
    private void UnmountSharedShm(ContainerRecord container)
    {
        string target = SharedShmOf(container);
        if (!Directory.Exists(target)) return;
        OverlayMount.Unmount(target);
        Directory.Delete(target);
    }
}
