using Berth.Engine.Runtime.Bundle;
using Berth.Engine.Runtime.Mounts;
using Berth.Oci.ContainerFiles;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    // The kernel's file systems of a running container: archiving them would read /proc and /sys without end.
    private static readonly IReadOnlySet<string> PseudoFileSystems = new HashSet<string>(StringComparer.Ordinal) { "/proc", "/sys", "/dev" };

    /// <summary>HEAD /containers/{id}/archive: what is at <paramref name="path"/>.</summary>
    public Task<PathStat> StatPathAsync(string idOrName, string path, CancellationToken cancellationToken) =>
        WithFilesystemAsync(idOrName, (root, name) => Task.FromResult(ContainerArchive.Stat(root, path, name)), cancellationToken);

    /// <summary>
    /// GET /containers/{id}/archive: the stat of <paramref name="path"/>, handed to <paramref name="begin"/> before
    /// the tar is written (the header goes first), then the tar of it into the stream <paramref name="begin"/> returns.
    /// </summary>
    public Task ArchivePathAsync(string idOrName, string path, Func<PathStat, Task<Stream>> begin, CancellationToken cancellationToken) =>
        WithFilesystemAsync(idOrName, async (root, name) =>
        {
            await ContainerArchive.WriteAsync(root, path, begin, PseudoFileSystems, name, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>PUT /containers/{id}/archive: extracts a tar into the directory <paramref name="path"/>.</summary>
    /// <summary>
    /// Extracts a tar into a directory of the container. Entries keep their owners; with <paramref name="copyUidGid"/>
    /// (docker cp -a) in a container that has a USER they all belong to that user instead, as Docker does.
    /// </summary>
    public Task ExtractToPathAsync(string idOrName, string path, Stream archive, bool noOverwriteDirNonDir, bool copyUidGid, CancellationToken cancellationToken) =>
        WithFilesystemAsync(idOrName, async (root, name) =>
        {
            if (path.Length == 0) throw BerthException.Invalid("bad parameter: path cannot be empty");
            var container = _store.Get(idOrName);
            if (container.HostConfig.ReadonlyRootfs && !IsUnderWritableMount(container, root.Resolve(path)))
                throw BerthException.Forbidden("container rootfs is marked read-only");
            FileOwner? owner = null;
            if (copyUidGid && !string.IsNullOrEmpty(container.Config.User))
            {
                var user = UserResolver.Resolve(root.HostPath, container.Config.User, []);
                owner = new FileOwner(user.Uid, user.Gid);
            }
            await ContainerArchive.ExtractAsync(root, path, archive, new ExtractOptions(noOverwriteDirNonDir, owner), name, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>
    /// A user, as a name or uid[:gid], resolved through the container's own /etc/passwd and /etc/group (a build's
    /// COPY --chown names users of the image being built, not of the host).
    /// </summary>
    public Task<(uint Uid, uint Gid)> ResolveUserAsync(string idOrName, string user, CancellationToken cancellationToken) =>
        WithFilesystemAsync(idOrName, (root, _) =>
        {
            var resolved = UserResolver.Resolve(root.HostPath, user, []);
            return Task.FromResult((resolved.Uid, resolved.Gid));
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> on the container's filesystem as its processes see it: a running container's
    /// root through /proc/PID/root (its bind mounts and tmpfs included); a stopped one's overlay mounted for the
    /// time of the call, with its bind mounts, while no start can happen.
    /// </summary>
    private async Task<T> WithFilesystemAsync<T>(string idOrName, Func<ScopedRoot, string, Task<T>> action, CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        string name = idOrName;
        if (container.State.Running && container.State.Pid > 0)
        {
            ScopedRoot? live = null;
            try
            {
                live = ScopedRoot.Open($"/proc/{container.State.Pid}/root", $"container {name}");
            }
            catch (BerthException) when (!container.State.Running)
            {
                // It exited between the check and the open: fall through to the stopped path.
            }
            if (live is not null)
            {
                using (live) return await action(live, name);
            }
        }

        var runtime = RuntimeOf(container.Id);
        await runtime.Lock.WaitAsync(cancellationToken);
        try
        {
            if (container.State.Running)
            {
                using var live = ScopedRoot.Open($"/proc/{container.State.Pid}/root", $"container {name}");
                return await action(live, name);
            }
            // A container created ahead has its root mounted (and a second overlay must not share its upper directory).
            await DiscardPreparedStartLockedAsync(runtime);
            string rootfs = RootfsOf(container);
            OverlayMount.Mount(LowerDirsOf(container), UpperDirOf(container), WorkDirOf(container), rootfs);
            try
            {
                using var root = ScopedRoot.Open(rootfs, $"container {name}");
                MountBinds(container, root);
                return await action(root, name);
            }
            finally
            {
                // A lazy unmount of the root takes the bind mounts below it along.
                OverlayMount.Unmount(rootfs);
            }
        }
        finally
        {
            runtime.Lock.Release();
        }
    }

    private static void MountBinds(ContainerRecord container, ScopedRoot root)
    {
        foreach (var (source, destination, readOnly) in BindsOf(container).OrderBy(b => b.Destination.Length))
        {
            if (!Path.Exists(source)) continue;
            using var target = root.OpenMountPoint(destination, Directory.Exists(source));
            string through = "/proc/self/fd/" + target.DangerousGetHandle();
            if (Syscalls.Mount(source, through, "", Syscalls.MS_BIND | Syscalls.MS_REC, null) != 0)
                throw BerthException.Internal($"bind mount of {source} at {destination}: {System.Runtime.InteropServices.Marshal.GetLastPInvokeErrorMessage()}");
            if (!readOnly) continue;
            // Opened again: the first handle still names the directory under the new mount, not the mount itself.
            using var mounted = root.OpenMountPoint(destination, Directory.Exists(source));
            if (Syscalls.Mount("", "/proc/self/fd/" + mounted.DangerousGetHandle(), "", Syscalls.MS_BIND | Syscalls.MS_REMOUNT | Syscalls.MS_RDONLY, null) != 0)
                throw BerthException.Internal($"read-only remount of {destination}: {System.Runtime.InteropServices.Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    private static bool IsUnderWritableMount(ContainerRecord container, string path) =>
        BindsOf(container).Any(b => !b.ReadOnly && (path == b.Destination || path.StartsWith(b.Destination.TrimEnd('/') + "/", StringComparison.Ordinal)));

    private static IEnumerable<(string Source, string Destination, bool ReadOnly)> BindsOf(ContainerRecord container)
    {
        if (container.MountPoints is { } points)
        {
            // Volumes are directories of the data root: a stopped container's are reached the way its binds are.
            foreach (var mount in points.Where(m => m.Type is "bind" or "volume" && m.Source.Length > 0))
                yield return (mount.Subpath is null ? mount.Source : Path.Combine(mount.Source, mount.Subpath), mount.Destination, !mount.RW);
            yield break;
        }
        foreach (var bind in container.HostConfig.Binds ?? [])
        {
            var parsed = BindSpec.Parse(bind);
            yield return (parsed.Source, parsed.Destination, parsed.ReadOnly);
        }
        foreach (var mount in container.HostConfig.Mounts ?? [])
        {
            if (mount.Type == "bind" && mount.Source is { Length: > 0 } source && mount.Target is { Length: > 0 } target)
                yield return (source, target, mount.ReadOnly);
        }
    }
}
