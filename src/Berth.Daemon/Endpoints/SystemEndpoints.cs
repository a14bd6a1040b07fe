using System.Runtime.InteropServices;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Logs;

namespace Berth.Daemon.Endpoints;

/// <summary>/_ping, /version, /info and /system/df.</summary>
public static class SystemEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        app.MapMethods("/_ping", ["GET", "HEAD"], async context =>
        {
            var headers = context.Response.Headers;
            headers["Builder-Version"] = "1";
            headers["Swarm"] = services.Swarm.Active ? "active/manager" : services.Swarm.Worker is not null ? "active/worker" : "inactive";
            headers["Cache-Control"] = "no-cache, no-store, must-revalidate";
            headers["Pragma"] = "no-cache";
            context.Response.ContentType = "text/plain; charset=utf-8";
            if (HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.ContentLength = 0;
                return;
            }
            await context.Response.WriteAsync("OK", context.RequestAborted);
        });
        app.MapGet("/version", context => Json.WriteAsync(context, Version(services.Options.Experimental), ApiJson.Context.SystemVersion));
        app.MapGet("/info", context => Json.WriteAsync(context, Info(services), ApiJson.Context.SystemInfo));
        app.MapGet("/system/df", context =>
        {
            bool typed = RequestVersion.AtLeast(context, "1.42");
            var kinds = DiskUsageMapping.Parse(context.Request.Query["type"].OfType<string>(), typed);
            var usage = DiskUsageMapping.Build(services, kinds, !RequestVersion.AtLeast(context, ApiVersions.VirtualSizeRemoved), withBuilderSize: !typed);
            return Json.WriteAsync(context, usage, ApiJson.Context.SystemDfResponse);
        });
    }

    public static string Kernel { get; } = File.Exists("/proc/sys/kernel/osrelease")
        ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim()
        : Environment.OSVersion.Version.ToString();

    public static string Arch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    };

    private static SystemVersion Version(bool experimental)
    {
        var details = new Dictionary<string, string>
        {
            ["ApiVersion"] = RequestVersion.Current,
            ["Arch"] = Arch,
            ["BuildTime"] = "",
            ["Experimental"] = experimental ? "true" : "false",
            ["GitCommit"] = DaemonInfo.GitCommit,
            ["GoVersion"] = RuntimeInformation.FrameworkDescription,
            ["KernelVersion"] = Kernel,
            ["MinAPIVersion"] = RequestVersion.Minimum,
            ["Os"] = "linux",
        };
        return new SystemVersion
        {
            Platform = new PlatformInfo { Name = $"Berth Engine {DaemonInfo.BerthVersion}" },
            Components =
            [
                new ComponentVersion { Name = "Engine", Version = DaemonInfo.Version, Details = details },
                new ComponentVersion { Name = "berth", Version = DaemonInfo.BerthVersion, Details = new Dictionary<string, string> { ["GitCommit"] = DaemonInfo.GitCommit } },
                new ComponentVersion { Name = "runc", Version = RuncVersion.Value, Details = new Dictionary<string, string> { ["GitCommit"] = "" } },
            ],
            Version = DaemonInfo.Version,
            ApiVersion = RequestVersion.Current,
            MinAPIVersion = RequestVersion.Minimum,
            GitCommit = DaemonInfo.GitCommit,
            GoVersion = RuntimeInformation.FrameworkDescription,
            Os = "linux",
            Arch = Arch,
            KernelVersion = Kernel,
            Experimental = experimental,
        };
    }

    private static readonly Lazy<string> RuncVersion = new(() =>
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("runc", "--version") { RedirectStandardOutput = true });
            string first = process?.StandardOutput.ReadLine() ?? "";
            process?.WaitForExit();
            return first.StartsWith("runc version ", StringComparison.Ordinal) ? first["runc version ".Length..] : first;
        }
        catch (Exception)
        {
            return "unknown";
        }
    });

    private static SystemInfo Info(DaemonServices services)
    {
        var containers = services.Containers.List();
        bool cgroupV2 = File.Exists("/sys/fs/cgroup/cgroup.controllers");
        return new SystemInfo
        {
            ID = services.Id,
            Containers = containers.Count,
            ContainersRunning = containers.Count(c => c.State.Running && !c.State.Paused),
            ContainersPaused = containers.Count(c => c.State.Paused),
            ContainersStopped = containers.Count(c => !c.State.Running),
            Images = services.Images.List().Count,
            Driver = "overlay2",
            DriverStatus = [["Backing Filesystem", "extfs"], ["Supports d_type", "true"], ["Native Overlay Diff", "true"]],
            Plugins = new PluginsInfo { Volume = ["local"], Network = ["bridge", "host", "null"], Log = [.. LogSettings.Drivers],
                Authorization = services.Authorization.Names.Count > 0 ? [.. services.Authorization.Names] : null },
            MemoryLimit = true,
            SwapLimit = true,
            CpuCfsPeriod = true,
            CpuCfsQuota = true,
            CPUShares = true,
            CPUSet = true,
            PidsLimit = true,
            IPv4Forwarding = DaemonInfo.IPv4Forwarding(),
            Debug = services.Options.Debug,
            ExperimentalBuild = services.Options.Experimental,
            NFd = DaemonInfo.OpenFileDescriptors(),
            NGoroutines = System.Diagnostics.Process.GetCurrentProcess().Threads.Count,
            SystemTime = ApiTime.Format(DateTimeOffset.Now),
            LoggingDriver = services.EngineOptions.DefaultLogConfig.Type,
            CgroupDriver = "cgroupfs",
            CgroupVersion = cgroupV2 ? "2" : "1",
            NEventsListener = 0,
            KernelVersion = Kernel,
            OperatingSystem = OsName(),
            OSVersion = OsRelease("VERSION_ID") ?? "",
            OSType = "linux",
            Architecture = RuntimeInformation.OSArchitecture == Architecture.X64 ? "x86_64" : RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            IndexServerAddress = "https://index.docker.io/v1/",
            RegistryConfig = RegistryConfigMapping.From(services.Options.RegistryMirrors, services.Options.InsecureRegistries),
            NCPU = Environment.ProcessorCount,
            MemTotal = MemTotal(),
            DockerRootDir = services.Paths.DataRoot,
            Name = Environment.MachineName,
            Labels = services.Options.Labels,
            ServerVersion = DaemonInfo.Version,
            Runtimes = services.EngineOptions.Runtimes.All.ToDictionary(r => r.Name,
                r => new RuntimeInfo { Path = r.Path, RuntimeArgs = r.Args.Count > 0 ? [.. r.Args] : null }, StringComparer.Ordinal),
            DefaultRuntime = services.EngineOptions.Runtimes.DefaultName,
            LiveRestoreEnabled = true,
            Isolation = "",
            InitBinary = "docker-init",
            SecurityOptions = [$"name=seccomp,profile={DaemonSeccomp.InfoName(services.Options.SeccompProfile)}", .. (string[])(services.Options.DefaultCgroupnsMode == "private" ? ["name=cgroupns"] : [])],
            Swarm = SwarmOf(services.Swarm),
        };
    }

    /// <summary>Info's Swarm section: this node's part in the swarm and, on the manager, the cluster.</summary>
    private static SwarmInfo SwarmOf(Berth.Engine.Swarm.SwarmManager swarm)
    {
        if (swarm.Worker is { } membership)
        {
            return new SwarmInfo
            {
                NodeID = membership.NodeID,
                NodeAddr = membership.NodeAddr,
                LocalNodeState = "active",
                ControlAvailable = false,
                RemoteManagers = [.. membership.Managers],
            };
        }
        if (!swarm.Active) return new SwarmInfo();
        var node = swarm.Store.Node!;
        var cluster = swarm.Inspect();
        string managerAddr = node.ManagerStatus?.Addr ?? "";
        var nodes = swarm.Store.Nodes;
        return new SwarmInfo
        {
            NodeID = node.ID,
            NodeAddr = node.Status.Addr,
            LocalNodeState = "active",
            ControlAvailable = true,
            RemoteManagers = [new SwarmPeer { NodeID = node.ID, Addr = managerAddr }],
            Nodes = nodes.Count,
            Managers = nodes.Count(n => n.ManagerStatus is not null),
            Cluster = new SwarmCluster
            {
                ID = cluster.ID, Version = cluster.Version, CreatedAt = cluster.CreatedAt, UpdatedAt = cluster.UpdatedAt,
                Spec = cluster.Spec, TLSInfo = cluster.TLSInfo, RootRotationInProgress = cluster.RootRotationInProgress,
                DefaultAddrPool = cluster.DefaultAddrPool, SubnetSize = cluster.SubnetSize, DataPathPort = cluster.DataPathPort,
            },
        };
    }

    internal static string OsName() => OsRelease("PRETTY_NAME") ?? "Linux";

    /// <summary>One field of /etc/os-release (dockerd's OperatingSystem and OSVersion come from there).</summary>
    internal static string? OsRelease(string key)
    {
        const string file = "/etc/os-release";
        if (!File.Exists(file)) return null;
        foreach (var line in File.ReadLines(file))
            if (line.StartsWith(key + "=", StringComparison.Ordinal)) return line[(key.Length + 1)..].Trim('"');
        return null;
    }

    internal static long MemTotal()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return 0;
    }
}
