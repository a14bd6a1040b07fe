using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Logs;

namespace Berth.Daemon.Endpoints;

/// <summary>Engine container records to the Engine API's container shapes.</summary>
public static class ContainerMapping
{
    public static string StateName(ContainerRecord c) =>
        c.State.RemovalInProgress ? "removing"
        : c.State.Dead ? "dead"
        : c.State.Paused ? "paused"
        : c.State.Restarting ? "restarting"
        : c.State.Running ? "running"
        : c.State.Status == "created" && !c.HasBeenStartedBefore ? "created"
        : "exited";

    public static string StatusText(ContainerRecord c, DateTimeOffset now)
    {
        var s = c.State;
        if (s.RemovalInProgress) return "Removal In Progress";
        if (s.Dead) return "Dead";
        if (s.Restarting) return $"Restarting ({s.ExitCode}) {HumanDuration.Of(now - (s.FinishedAt ?? now))} ago";
        if (s.Running) return "Up " + HumanDuration.Of(now - (s.StartedAt ?? now)) + (s.Paused ? " (Paused)" : HealthSuffix(s.Health));
        if (!c.HasBeenStartedBefore) return "Created";
        return $"Exited ({s.ExitCode}) {HumanDuration.Of(now - (s.FinishedAt ?? now))} ago";
    }

    /// <summary>Docker's " (healthy)", " (unhealthy)" or " (health: starting)" after "Up …".</summary>
    private static string HealthSuffix(Berth.Engine.Containers.Health.HealthState? health) => health?.Status switch
    {
        null => "",
        Berth.Engine.Containers.Health.HealthState.Starting => " (health: starting)",
        var status => $" ({status})",
    };

    /// <summary>The ps filter's view: a container that never ran a health check is "none".</summary>
    public static string HealthStatus(ContainerRecord c) => c.State.Health?.Status ?? Berth.Engine.Containers.Health.HealthState.None;

    private static ContainerHealth? Health(Berth.Engine.Containers.Health.HealthState? health) => health is null ? null : new ContainerHealth
    {
        Status = health.Status,
        FailingStreak = health.FailingStreak,
        Log = health.Log.Select(entry => new HealthcheckResult
        {
            Start = ApiTime.Format(entry.Start),
            End = ApiTime.Format(entry.End),
            ExitCode = entry.ExitCode,
            Output = entry.Output,
        }).ToList(),
    };

    public static ContainerSummary Summary(ContainerRecord c, DateTimeOffset now) => new()
    {
        Id = c.Id,
        Names = [c.Name],
        Image = c.Config.Image,
        ImageID = c.ImageId,
        // dockerd quotes the arguments that hold a space ("sh -c 'exit 3'"), not the path.
        Command = string.Join(' ', new[] { c.Path }.Concat(c.Args.Select(a => a.Contains(' ') ? $"'{a}'" : a))),
        Created = c.Created.ToUnixTimeSeconds(),
        Ports = NetworkMapping.SummaryPorts(c),
        Labels = c.Config.Labels ?? [],
        State = StateName(c),
        Status = StatusText(c, now),
        HostConfig = new ContainerSummaryHostConfig { NetworkMode = c.HostConfig.NetworkMode },
        NetworkSettings = new ContainerSummaryNetworkSettings { Networks = NetworkMapping.Endpoints(c) },
        Mounts = Mounts(c),
    };

    public static ContainerInspect Inspect(ContainerRecord c, ContainerService service) => new()
    {
        Id = c.Id,
        Created = ApiTime.Format(c.Created),
        Path = c.Path,
        Args = c.Args,
        State = new Berth.Api.ContainerState
        {
            Status = StateName(c),
            Running = c.State.Running,
            Paused = c.State.Paused,
            Restarting = c.State.Restarting,
            OOMKilled = c.State.OOMKilled,
            Dead = c.State.Dead,
            Pid = c.State.Pid,
            ExitCode = c.State.ExitCode,
            Error = c.State.Error,
            StartedAt = c.State.StartedAt is { } started ? ApiTime.Format(started) : ApiTime.Zero,
            FinishedAt = c.State.FinishedAt is { } finished ? ApiTime.Format(finished) : ApiTime.Zero,
            Health = Health(c.State.Health),
        },
        Image = c.ImageId,
        ResolvConfPath = service.ResolvConfPathOf(c),
        HostnamePath = service.HostnamePathOf(c),
        HostsPath = service.HostsPathOf(c),
        LogPath = c.HostConfig.LogConfig?.Type == LogSettings.JsonFile ? service.LogPathOf(c) : "", // dockerd shows only json-file's file
        Name = c.Name,
        RestartCount = c.RestartCount,
        Driver = "overlay2",
        Platform = "linux",
        MountLabel = "",
        ProcessLabel = "",
        AppArmorProfile = "",
        ExecIDs = service.ExecIdsOf(c.Id),
        HostConfig = c.HostConfig,
        GraphDriver = new GraphDriverData
        {
            Name = "overlay2",
            Data = new Dictionary<string, string>
            {
                ["LowerDir"] = string.Join(':', service.LowerDirsOf(c)),
                ["MergedDir"] = service.RootfsOf(c),
                ["UpperDir"] = service.UpperDirOf(c),
                ["WorkDir"] = service.WorkDirOf(c),
            },
        },
        Mounts = Mounts(c),
        Config = c.Config,
        NetworkSettings = NetworkMapping.Settings(c),
    };

    public static List<MountPoint> Mounts(ContainerRecord c)
    {
        if (c.MountPoints is { } points)
        {
            // --tmpfs (HostConfig.Tmpfs) is not a mount point in Docker: only binds, volumes and --mount tmpfs show.
            return points.Select(m => new MountPoint
            {
                Type = m.Type, Name = m.Name, Source = m.Source, Destination = m.Destination, Driver = m.Driver,
                Mode = m.Mode, RW = m.RW, Propagation = m.Propagation,
            }).ToList();
        }
        var mounts = new List<MountPoint>();
        foreach (var bind in c.HostConfig.Binds ?? [])
        {
            var parsed = BindSpec.Parse(bind);
            mounts.Add(new MountPoint { Type = "bind", Source = parsed.Source, Destination = parsed.Destination, Mode = parsed.Mode, RW = !parsed.ReadOnly, Propagation = parsed.Propagation });
        }
        return mounts;
    }
}
