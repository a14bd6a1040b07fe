using Berth.Engine.Runtime.Bundle;

namespace Berth.Engine.Containers;

/// <summary>Turns a container's Docker configuration into the bundle builder's <see cref="ContainerRunSpec"/>.</summary>
internal static class RunSpecFactory
{
    public static ContainerRunSpec From(ContainerRecord container, string rootfs, ContainerService service, NamespaceMode? network, IReadOnlyList<MountSpec>? mounts = null)
    {
        var config = container.Config;
        var host = container.HostConfig;
        var allMounts = new List<MountSpec>(mounts ?? []);
        string? init = service.InitBinaryOf(container);
        if (init is not null)
            allMounts.Add(new MountSpec { Type = "bind", Source = init, Destination = ContainerService.InitPathInContainer, ReadOnly = true, NonRecursive = true });
        return new ContainerRunSpec
        {
            Id = container.Id,
            RootfsPath = rootfs,
            Args = init is null ? [container.Path, .. container.Args] : [ContainerService.InitPathInContainer, "--", container.Path, .. container.Args],
            Env = config.Env ?? [],
            WorkingDir = config.WorkingDir,
            User = config.User,
            GroupAdd = host.GroupAdd ?? [],
            Hostname = config.Hostname,
            Domainname = config.Domainname,
            Tty = config.Tty,
            OpenStdin = config.OpenStdin,
            ReadonlyRootfs = host.ReadonlyRootfs,
            Privileged = host.Privileged,
            CapAdd = host.CapAdd ?? [],
            CapDrop = host.CapDrop ?? [],
            SecurityOpt = SecurityOptOf(host, service.Options),
            MaskedPaths = host.MaskedPaths,
            ReadonlyPaths = host.ReadonlyPaths,
            Memory = host.Memory,
            MemorySwap = host.MemorySwap,
            MemoryReservation = host.MemoryReservation,
            NanoCpus = host.NanoCpus,
            CpuShares = host.CpuShares,
            CpuQuota = host.CpuQuota,
            CpuPeriod = host.CpuPeriod,
            CpusetCpus = host.CpusetCpus,
            CpusetMems = host.CpusetMems,
            PidsLimit = host.PidsLimit,
            ShmSize = host.ShmSize,
            OomKillDisable = host.OomKillDisable,
            OomScoreAdj = host.OomScoreAdj,
            Tmpfs = host.Tmpfs ?? new Dictionary<string, string>(),
            Mounts = allMounts,
            Network = network ?? (host.NetworkMode == "host" ? NamespaceMode.Host : NamespaceMode.Private),
            Ipc = service.IpcNamespaceOf(container),
            ShmSource = service.ShmSourceOf(container),
            Pid = service.PidNamespaceOf(container),
            Uts = host.UTSMode == "host" ? NamespaceMode.Host : NamespaceMode.Private,
            HostsPath = service.HostsPathOf(container),
            ResolvConfPath = service.ResolvConfPathOf(container),
            HostnamePath = service.HostnamePathOf(container),
            CgroupsPath = service.CgroupPathOf(container),
            Sysctls = host.Sysctls ?? new Dictionary<string, string>(),
            Ulimits = WithDefaults(host.Ulimits, service.Options.DefaultUlimits),
            Devices = (host.Devices ?? []).Select(d => new DeviceMapping(d.PathOnHost, d.PathInContainer, string.IsNullOrEmpty(d.CgroupPermissions) ? "rwm" : d.CgroupPermissions)).ToList(),
            DeviceCgroupRules = host.DeviceCgroupRules ?? [],
            Annotations = host.Annotations ?? new Dictionary<string, string>(),
        };
    }

    /// <summary>The container's ulimits, then the daemon's default-ulimits for the names it does not set (dockerd's merge).</summary>
    private static List<Ulimit> WithDefaults(List<Berth.Api.Ulimit>? own, IReadOnlyList<Ulimit> defaults)
    {
        var limits = (own ?? []).Select(u => new Ulimit(u.Name, u.Soft, u.Hard)).ToList();
        limits.AddRange(defaults.Where(d => limits.All(l => l.Name != d.Name)));
        return limits;
    }

    /// <summary>
    /// The container's --security-opt after the daemon's defaults (no-new-privileges, seccomp-profile), which come first so
    /// that the container's own (no-new-privileges=false, seccomp=unconfined) win. A privileged container gets no profile.
    /// </summary>
    private static List<string> SecurityOptOf(Berth.Api.HostConfig host, EngineOptions options)
    {
        var securityOpt = new List<string>();
        if (options.NoNewPrivileges) securityOpt.Add("no-new-privileges");
        if (options.DefaultSeccomp is { } seccomp && !host.Privileged) securityOpt.Add("seccomp=" + seccomp);
        securityOpt.AddRange(host.SecurityOpt ?? []);
        return securityOpt;
    }
}
