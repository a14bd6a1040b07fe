using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>Device nodes of the host made available to a container (--device, and all of them for --privileged).</summary>
public static class HostDevices
{
    /// <summary>Directories of /dev that hold no devices of their own to pass on (runc's HostDevices).</summary>
    private static readonly HashSet<string> SkippedDirectories = ["pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev"];

    /// <summary>Every char and block device under <paramref name="devRoot"/>, by path, symlinks and /dev/console left out.</summary>
    public static List<LinuxDevice> All(string devRoot = "/dev")
    {
        var devices = new List<LinuxDevice>();
        Walk(devRoot, devices);
        return devices;
    }

    private static void Walk(string directory, List<LinuxDevice> devices)
    {
        string[] entries;
        try { entries = Directory.GetFileSystemEntries(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        Array.Sort(entries, StringComparer.Ordinal);

        foreach (string path in entries)
        {
            string name = Path.GetFileName(path);
            var node = FileNode.Stat(path, followSymlinks: false);
            if (node is null) continue;
            if (node.Type == FileNodeType.Directory)
            {
                if (!SkippedDirectories.Contains(name)) Walk(path, devices);
                continue;
            }
            if (name == "console") continue;
            if (ToDevice(path, node) is { } device) devices.Add(device);
        }
    }

    /// <summary>
    /// One --device: a node (symlinks followed) or a directory whose nodes are all mapped below PathInContainer,
    /// each with its devices cgroup rule.
    /// </summary>
    public static List<(LinuxDevice Device, LinuxDeviceCgroup Rule)> FromMapping(DeviceMapping mapping)
    {
        string permissions = mapping.CgroupPermissions.Length == 0 ? "rwm" : mapping.CgroupPermissions;
        if (permissions.Any(c => c is not ('r' or 'w' or 'm')))
            throw BerthException.Invalid($"invalid device mode \"{permissions}\" for device \"{mapping.PathOnHost}\"");
        string inContainer = mapping.PathInContainer.Length == 0 ? mapping.PathOnHost : mapping.PathInContainer;

        var found = new List<(LinuxDevice, LinuxDeviceCgroup)>();
        var node = FileNode.Stat(mapping.PathOnHost, followSymlinks: true);
        if (node is null)
            throw BerthException.Invalid($"error gathering device information while adding custom device \"{mapping.PathOnHost}\": no such file or directory");

        if (node.Type == FileNodeType.Directory)
        {
            var children = new List<LinuxDevice>();
            Walk(mapping.PathOnHost, children);
            string prefix = Path.TrimEndingDirectorySeparator(mapping.PathOnHost);
            foreach (var child in children)
            {
                var device = child with { Path = inContainer + child.Path[prefix.Length..] };
                found.Add((device, RuleFor(device, permissions)));
            }
        }
        else if (ToDevice(inContainer, node) is { } device)
        {
            found.Add((device, RuleFor(device, permissions)));
        }

        if (found.Count == 0)
            throw BerthException.Invalid($"error gathering device information while adding custom device \"{mapping.PathOnHost}\": not a device node");
        return found;
    }

    private static LinuxDevice? ToDevice(string path, FileNode node)
    {
        string? type = node.Type switch
        {
            FileNodeType.CharDevice => "c",
            FileNodeType.BlockDevice => "b",
            _ => null,
        };
        if (type is null) return null;
        return new LinuxDevice
        {
            Path = path, Type = type, Major = node.Major, Minor = node.Minor,
            FileMode = node.Permissions, Uid = node.Uid, Gid = node.Gid,
        };
    }

    private static LinuxDeviceCgroup RuleFor(LinuxDevice device, string permissions) =>
        new() { Allow = true, Type = device.Type, Major = device.Major, Minor = device.Minor, Access = permissions };
}
