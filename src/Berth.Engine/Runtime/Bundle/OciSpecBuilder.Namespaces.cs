using Berth.Engine.Networks.Netlink;
using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

public static partial class OciSpecBuilder
{
    /// <summary>Always a new mount namespace; the others new, joined, or (host) left out, in Docker's order.</summary>
    private static List<LinuxNamespace> BuildNamespaces(ContainerRunSpec spec, HostLimits host)
    {
        var namespaces = new List<LinuxNamespace> { new() { Type = "mount" } };
        Add("network", spec.Network);
        Add("uts", spec.Uts);
        Add("pid", spec.Pid);
        Add("ipc", spec.Ipc);
        // Docker's default cgroupns mode: private on cgroup v2, the host's on v1.
        Add("cgroup", spec.Cgroup ?? (host.CgroupV2 ? NamespaceMode.Private : NamespaceMode.Host));
        return namespaces;

        void Add(string type, NamespaceMode mode)
        {
            switch (mode.Kind)
            {
                case NamespaceKind.Private or NamespaceKind.None:
                    namespaces.Add(new LinuxNamespace { Type = type });
                    break;
                case NamespaceKind.Join when string.IsNullOrEmpty(mode.Path):
                    throw BerthException.Invalid($"joining a {type} namespace needs the path of one");
                case NamespaceKind.Join:
                    namespaces.Add(new LinuxNamespace { Type = type, Path = mode.Path });
                    break;
            }
        }
    }

    /// <summary>
    /// The container's sysctls, plus Docker's defaults for a network namespace of its own (unprivileged ping
    /// and low ports, as root inside may bind them anyway) and the NIS domain name.
    /// </summary>
    private static SortedDictionary<string, string>? BuildSysctls(ContainerRunSpec spec)
    {
        var sysctls = new SortedDictionary<string, string>(spec.Sysctls.ToDictionary(), StringComparer.Ordinal);
        if (spec.Network.Kind == NamespaceKind.Host && sysctls.Keys.FirstOrDefault(Sysctl.IsNetworkScoped) is { } hostNet)
            throw BerthException.Invalid($"--sysctl {hostNet} is not allowed in host network mode");
        if (spec.Network.Kind is NamespaceKind.Private or NamespaceKind.None)
        {
            sysctls.TryAdd("net.ipv4.ip_unprivileged_port_start", "0");
            sysctls.TryAdd("net.ipv4.ping_group_range", "0 2147483647");
        }
        if (spec.Domainname.Length > 0) sysctls["kernel.domainname"] = spec.Domainname;
        return sysctls.Count > 0 ? sysctls : null;
    }
}
