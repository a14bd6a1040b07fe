using Berth.Api;
using Berth.Engine.Runtime.Bundle;
using Berth.Oci.Errors;

namespace Berth.Engine.Plugins.Managed;

/// <summary>Where one plugin's runtime spec takes its host paths from.</summary>
public sealed record PluginSpecPaths(string Rootfs, string SocketDir, string PropagatedMount, string CgroupsPath);

/// <summary>
/// The OCI spec a managed plugin runs with, as dockerd makes it: Docker's default container (mounts, masked paths,
/// device rules, capabilities) on the plugin's own rootfs, plus the socket directory at /run/docker/plugins, the
/// propagated mount (rshared, so what the plugin mounts there is seen on the host), the host's /etc/hosts and
/// /etc/resolv.conf, and the config's mounts, devices, env, args and capabilities. No seccomp filter, as dockerd.
/// </summary>
public static class PluginSpecBuilder
{
    /// <summary>Where the plugin finds its socket directory, as Docker's plugins expect.</summary>
    public const string SocketDirInPlugin = "/run/docker/plugins";

    public static RuntimeSpec Build(Plugin plugin, PluginSpecPaths paths, HostLimits host)
    {
        var config = plugin.Config;
        var args = (config.Entrypoint ?? []).Concat(plugin.Settings.Args).ToList();
        if (args.Count == 0) throw BerthException.Invalid($"plugin {plugin.Name}: no entrypoint in its config");
        var caps = PluginCapabilities(config, host);
        return new RuntimeSpec
        {
            Process = new RuntimeProcess
            {
                User = new RuntimeUser { Uid = config.User.Uid, Gid = config.User.Gid },
                Args = args,
                Env = [$"PATH={OciSpecBuilder.DefaultPath}", .. plugin.Settings.Env],
                Cwd = string.IsNullOrEmpty(config.WorkDir) ? "/" : config.WorkDir,
                Capabilities = new RuntimeCapabilities { Bounding = caps, Effective = caps, Permitted = caps },
            },
            Root = new RuntimeRoot { Path = paths.Rootfs },
            Mounts = Mounts(plugin, paths),
            Linux = new RuntimeLinux
            {
                CgroupsPath = paths.CgroupsPath,
                Namespaces = Namespaces(config),
                Resources = new LinuxResources
                {
                    Devices = config.Linux.AllowAllDevices ? [DeviceCgroupRules.AllowAll] : [.. DeviceCgroupRules.DockerDefaults, .. DeviceRules(plugin)],
                },
                Devices = Devices(plugin),
                RootfsPropagation = config.PropagatedMount.Length > 0 ? "rshared" : null,
                MaskedPaths = OciSpecBuilder.DefaultMaskedPaths,
                ReadonlyPaths = OciSpecBuilder.DefaultReadonlyPaths,
            },
        };
    }

    /// <summary>Docker's default set plus the config's, limited to what the daemon holds (runc fails on more).</summary>
    private static List<string> PluginCapabilities(PluginConfig config, HostLimits host)
    {
        var extra = Capabilities.Normalize(config.Linux.Capabilities ?? [], "Linux.Capabilities");
        return Capabilities.DockerDefaults.Concat(extra)
            .Where(c => c != "ALL" && host.HasCapability(Capabilities.NumberOf(c))).Distinct().ToList();
    }

    private static List<LinuxNamespace> Namespaces(PluginConfig config)
    {
        var namespaces = new List<LinuxNamespace> { new() { Type = "mount" } };
        if (config.Network.Type != "host") namespaces.Add(new LinuxNamespace { Type = "network" });
        namespaces.Add(new LinuxNamespace { Type = "uts" });
        if (!config.PidHost) namespaces.Add(new LinuxNamespace { Type = "pid" });
        if (!config.IpcHost) namespaces.Add(new LinuxNamespace { Type = "ipc" });
        return namespaces;
    }

    private static List<RuntimeMount> Mounts(Plugin plugin, PluginSpecPaths paths)
    {
        var config = plugin.Config;
        var mounts = new List<RuntimeMount>
        {
            new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
            new()
            {
                Destination = "/dev/pts", Type = "devpts", Source = "devpts",
                Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
            },
            new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
            new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["ro", "nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777"] },
        };
        if (config.PropagatedMount.Length > 0)
            mounts.Add(new RuntimeMount { Destination = config.PropagatedMount, Type = "bind", Source = paths.PropagatedMount, Options = ["rbind", "rw", "rshared"] });
        mounts.Add(new RuntimeMount { Destination = SocketDirInPlugin, Type = "bind", Source = paths.SocketDir, Options = ["rbind", "rshared"] });
        foreach (var mount in plugin.Settings.Mounts)
        {
            if (string.IsNullOrEmpty(mount.Source)) throw BerthException.Invalid($"plugin {plugin.Name}: mount source is not specified");
            mounts.RemoveAll(m => m.Destination == mount.Destination);
            mounts.Add(new RuntimeMount { Destination = mount.Destination, Type = mount.Type, Source = mount.Source, Options = mount.Options ?? [] });
        }
        foreach (string file in new[] { "/etc/hosts", "/etc/resolv.conf" })
        {
            if (mounts.Any(m => m.Destination == file)) continue;
            mounts.Add(new RuntimeMount { Destination = file, Type = "bind", Source = file, Options = ["rbind", "ro"] });
        }
        return mounts;
    }

    private static List<LinuxDevice>? Devices(Plugin plugin)
    {
        var devices = plugin.Settings.Devices.Where(d => !string.IsNullOrEmpty(d.Path))
            .SelectMany(d => HostDevices.FromMapping(new Runtime.Bundle.DeviceMapping(d.Path!, d.Path!, "rwm")).Select(pair => pair.Device)).ToList();
        return devices.Count > 0 ? devices : null;
    }

    private static IEnumerable<LinuxDeviceCgroup> DeviceRules(Plugin plugin) =>
        plugin.Settings.Devices.Where(d => !string.IsNullOrEmpty(d.Path))
            .SelectMany(d => HostDevices.FromMapping(new Runtime.Bundle.DeviceMapping(d.Path!, d.Path!, "rwm")).Select(pair => pair.Rule));
}
