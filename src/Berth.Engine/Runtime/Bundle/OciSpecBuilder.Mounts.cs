using System.Text.RegularExpressions;
using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

public static partial class OciSpecBuilder
{
    /// <summary>Docker's /dev/shm size when none is given: 64 MiB.</summary>
    public const long DefaultShmSize = 64L * 1024 * 1024;

    private static readonly HashSet<string> Propagations = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

    /// <summary>Default mounts that a read-only rootfs leaves writable (Docker's list).</summary>
    private static readonly HashSet<string> WritableWithReadonlyRootfs = ["/proc", "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev"];

    /// <summary>
    /// Docker's WithMounts: the default mounts, minus those a container mount replaces (all of /dev/* when /dev
    /// itself is mounted), then the container's own mounts ordered by depth so that parents come first.
    /// </summary>
    private static List<RuntimeMount> BuildMounts(ContainerRunSpec spec)
    {
        var containerMounts = ContainerMounts(spec);
        var replaced = containerMounts.Select(m => m.Destination).ToHashSet(StringComparer.Ordinal);
        bool devReplaced = replaced.Contains("/dev");

        var mounts = new List<RuntimeMount>();
        foreach (var mount in DefaultMounts(spec))
        {
            if (replaced.Contains(mount.Destination)) continue;
            if (devReplaced && mount.Destination.StartsWith("/dev/", StringComparison.Ordinal)) continue;
            var options = mount.Options!.ToList();
            if (spec.ReadonlyRootfs && !WritableWithReadonlyRootfs.Contains(mount.Destination) && !options.Contains("ro"))
                options.Add("ro");
            // Privileged containers may write /sys and the cgroup tree, as on the host.
            if (spec.Privileged && mount.Type is "sysfs" or "cgroup") options.Remove("ro");
            mounts.Add(mount with { Options = options });
        }
        mounts.AddRange(containerMounts);
        return mounts;
    }

    private static IEnumerable<RuntimeMount> DefaultMounts(ContainerRunSpec spec)
    {
        yield return new RuntimeMount { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] };
        yield return new RuntimeMount { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] };
        yield return new RuntimeMount
        {
            Destination = "/dev/pts", Type = "devpts", Source = "devpts",
            Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
        };
        yield return new RuntimeMount { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] };
        yield return new RuntimeMount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["ro", "nosuid", "noexec", "nodev"] };
        yield return new RuntimeMount { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] };
        if (ShmMount(spec) is { } shm) yield return shm;
    }

    /// <summary>A private tmpfs, one mounted on the host (shareable IPC), the host's or a joined container's /dev/shm, or none with IPC "none".</summary>
    private static RuntimeMount? ShmMount(ContainerRunSpec spec)
    {
        if (spec.Ipc.Kind == NamespaceKind.None) return null;
        string? shared = spec.Ipc.Kind switch
        {
            NamespaceKind.Host => spec.ShmSource ?? "/dev/shm",
            // A namespace joined by a path other than /proc/PID/ns/ipc has no /dev/shm to find: a private one then.
            NamespaceKind.Join => spec.ShmSource ?? ShmOfJoinedIpc(spec.Ipc.Path),
            _ => spec.ShmSource,
        };
        if (shared is not null)
            return new RuntimeMount { Destination = "/dev/shm", Type = "bind", Source = shared, Options = ["rbind", "rprivate"] };

        long size = spec.ShmSize > 0 ? spec.ShmSize : DefaultShmSize;
        return new RuntimeMount
        {
            Destination = "/dev/shm", Type = "tmpfs", Source = "shm",
            Options = ["nosuid", "noexec", "nodev", "mode=1777", $"size={size}"],
        };
    }

    /// <summary>The /dev/shm of the container whose IPC namespace /proc/PID/ns/ipc is, seen through its root.</summary>
    private static string? ShmOfJoinedIpc(string? nsPath)
    {
        var match = nsPath is null ? null : ProcNsPath().Match(nsPath);
        return match is { Success: true } ? $"/proc/{match.Groups[1].Value}/root/dev/shm" : null;
    }

    [GeneratedRegex(@"^/proc/(\d+)/ns/ipc$")]
    private static partial Regex ProcNsPath();

    /// <summary>Binds, volumes, tmpfs mounts, the init binary and the daemon's /etc files, parents first.</summary>
    private static List<RuntimeMount> ContainerMounts(ContainerRunSpec spec)
    {
        var mounts = new List<RuntimeMount>();
        var destinations = new HashSet<string>(StringComparer.Ordinal);
        void Add(RuntimeMount mount)
        {
            if (!destinations.Add(mount.Destination)) throw BerthException.Invalid($"Duplicate mount point: {mount.Destination}");
            mounts.Add(mount);
        }

        foreach (var mount in spec.Mounts)
        {
            string destination = AbsoluteDestination(mount.Destination);
            if (mount.Type == "tmpfs")
            {
                string options = mount.ReadOnly ? "ro," + mount.TmpfsOptions : mount.TmpfsOptions;
                Add(Tmpfs(destination, options));
                continue;
            }
            if (mount.Type is not ("bind" or "volume"))
                throw BerthException.Invalid($"mount type \"{mount.Type}\" at {destination} is not supported");
            if (mount.Propagation.Length > 0 && !Propagations.Contains(mount.Propagation))
                throw BerthException.Invalid($"invalid propagation mode \"{mount.Propagation}\" for mount {destination}");

            var bindOptions = new List<string> { mount.NonRecursive ? "bind" : "rbind" };
            if (mount.ReadOnly) bindOptions.Add("ro");
            if (mount.Propagation.Length > 0) bindOptions.Add(mount.Propagation);
            Add(new RuntimeMount { Destination = destination, Type = "bind", Source = mount.Source, Options = bindOptions });
        }

        foreach (var (path, options) in spec.Tmpfs.OrderBy(t => t.Key, StringComparer.Ordinal))
            Add(Tmpfs(AbsoluteDestination(path), options));

        if (spec.InitPath is not null)
            Add(new RuntimeMount { Destination = InitPathInContainer, Type = "bind", Source = spec.InitPath, Options = ["bind", "ro"] });

        // The daemon's files give way to a user's mount at the same place, as in Docker.
        foreach (var (destination, source) in new[]
                 {
                     ("/etc/resolv.conf", spec.ResolvConfPath), ("/etc/hostname", spec.HostnamePath), ("/etc/hosts", spec.HostsPath),
                 })
        {
            if (source is null || destinations.Contains(destination)) continue;
            List<string> options = spec.ReadonlyRootfs ? ["rbind", "ro", "rprivate"] : ["rbind", "rprivate"];
            Add(new RuntimeMount { Destination = destination, Type = "bind", Source = source, Options = options });
        }

        // OrderBy is stable: mounts of equal depth keep their order.
        return mounts.OrderBy(m => m.Destination.Count(c => c == '/')).ToList();
    }

    private static RuntimeMount Tmpfs(string destination, string userOptions) =>
        new() { Destination = destination, Type = "tmpfs", Source = "tmpfs", Options = TmpfsOptions.Build(userOptions) };

    private static string AbsoluteDestination(string destination)
    {
        if (!destination.StartsWith('/'))
            throw BerthException.Invalid($"invalid mount config: mount path must be absolute: {destination}");
        string clean = CleanPath(destination);
        if (clean == "/") throw BerthException.Invalid("invalid specification: destination can't be '/'");
        return clean;
    }

    /// <summary>
    /// Shared or slave binds need the rootfs itself to propagate that way, and a source on a host mount that does;
    /// Docker checks the latter and refuses, and so does Berth.
    /// </summary>
    private static string? RootfsPropagationFor(IReadOnlyList<MountSpec> mounts)
    {
        string? propagation = null;
        foreach (var mount in mounts)
        {
            if (mount.Type == "tmpfs") continue;
            switch (mount.Propagation)
            {
                case "shared" or "rshared":
                    MountPropagation.EnsureShared(mount.Source);
                    propagation = "shared";
                    break;
                case "slave" or "rslave":
                    MountPropagation.EnsureSharedOrSlave(mount.Source);
                    propagation ??= "rslave";
                    break;
            }
        }
        return propagation;
    }
}
