using Berth.Api;
using Berth.Engine.Plugins.Managed;
using Berth.Engine.Runtime.Bundle;

namespace Berth.Tests.Plugins.Managed;

public sealed class PluginSpecBuilderTests
{
    private static readonly PluginSpecPaths Paths = new("/data/plugins/p/rootfs", "/exec/plugins/p", "/data/plugins/p/propagated-mount", "/berth/plugins/p");

    private static Plugin Plugin(Action<PluginConfig>? configure = null)
    {
        var config = new PluginConfig
        {
            Entrypoint = ["/plugin", "--socket", "/run/docker/plugins/p.sock"],
            Interface = new PluginInterface { Socket = "p.sock", Types = ["docker.volumedriver/1.0"] },
            PropagatedMount = "/data",
            Network = new PluginNetwork { Type = "none" },
            Linux = new PluginLinux { Capabilities = ["CAP_SYS_ADMIN"] },
        };
        configure?.Invoke(config);
        return new Plugin { Id = "p", Name = "p:latest", Config = config, Settings = new PluginSettings { Env = ["DEBUG=1"], Args = ["-v"] } };
    }

    [Fact]
    public void The_plugin_runs_its_entrypoint_with_the_settings_on_its_own_rootfs()
    {
        var spec = PluginSpecBuilder.Build(Plugin(), Paths, new HostLimits());
        Assert.Equal(["/plugin", "--socket", "/run/docker/plugins/p.sock", "-v"], spec.Process.Args);
        Assert.Equal([$"PATH={OciSpecBuilder.DefaultPath}", "DEBUG=1"], spec.Process.Env);
        Assert.Equal("/", spec.Process.Cwd);
        Assert.Equal("/data/plugins/p/rootfs", spec.Root.Path);
        Assert.Contains("CAP_SYS_ADMIN", spec.Process.Capabilities!.Effective!);
        Assert.Contains("CAP_CHOWN", spec.Process.Capabilities!.Bounding!);
        Assert.Null(spec.Linux.Seccomp);
        Assert.Equal("/berth/plugins/p", spec.Linux.CgroupsPath);
    }

    [Fact]
    public void The_socket_directory_and_the_propagated_mount_are_shared_binds()
    {
        var spec = PluginSpecBuilder.Build(Plugin(), Paths, new HostLimits());
        var socket = Assert.Single(spec.Mounts, m => m.Destination == "/run/docker/plugins");
        Assert.Equal(("/exec/plugins/p", "bind"), (socket.Source, socket.Type));
        Assert.Equal(["rbind", "rshared"], socket.Options);
        var propagated = Assert.Single(spec.Mounts, m => m.Destination == "/data");
        Assert.Equal("/data/plugins/p/propagated-mount", propagated.Source);
        Assert.Equal(["rbind", "rw", "rshared"], propagated.Options);
        Assert.Equal("rshared", spec.Linux.RootfsPropagation);
        Assert.Contains(spec.Mounts, m => m.Destination == "/etc/resolv.conf" && m.Source == "/etc/resolv.conf");
    }

    [Fact]
    public void Host_network_pid_and_ipc_leave_those_namespaces_out()
    {
        var own = PluginSpecBuilder.Build(Plugin(), Paths, new HostLimits());
        Assert.Equal(["mount", "network", "uts", "pid", "ipc"], own.Linux.Namespaces.Select(n => n.Type));
        var host = PluginSpecBuilder.Build(Plugin(c => { c.Network.Type = "host"; c.PidHost = true; c.IpcHost = true; }), Paths, new HostLimits());
        Assert.Equal(["mount", "uts"], host.Linux.Namespaces.Select(n => n.Type));
    }

    [Fact]
    public void Config_mounts_come_from_the_settings_and_need_a_source()
    {
        var plugin = Plugin();
        plugin.Settings.Mounts = [new PluginMount { Name = "state", Destination = "/state", Type = "bind", Source = "/var/lib/x", Options = ["rbind"] }];
        var spec = PluginSpecBuilder.Build(plugin, Paths, new HostLimits());
        Assert.Contains(spec.Mounts, m => m.Destination == "/state" && m.Source == "/var/lib/x");
        plugin.Settings.Mounts[0].Source = null;
        Assert.Contains("mount source is not specified", Assert.ThrowsAny<Exception>(() => PluginSpecBuilder.Build(plugin, Paths, new HostLimits())).Message);
    }
}
