namespace Berth.Engine.Containers;

/// <summary>
/// Which new containers runc may create while the client is still on its way to start them (see
/// <c>ContainerService.PrepareStartAhead</c>): those whose start depends on nothing but their own record. Published
/// ports and fixed addresses would be held by a container that is only created (another's start could find them
/// taken); namespaces, links and volumes-from of other containers depend on those being up at the start itself;
/// volumes are mounted (and filled, with events) at the start; device requests fail there; a logging plugin is told
/// of a start (StartLogging) only when it happens.
/// </summary>
internal static class CreateAheadPolicy
{
    public static bool Allows(ContainerRecord container)
    {
        var host = container.HostConfig;
        if (container.HasBeenStartedBefore || container.State.Status != "created" || container.State.RemovalInProgress) return false;
        if (host.PortBindings is { Count: > 0 } || host.PublishAllPorts) return false;
        if (host.Links is { Count: > 0 } || host.VolumesFrom is { Count: > 0 }) return false;
        if (host.DeviceRequests is { Count: > 0 }) return false; // its start fails: there is no device driver
        if (Logs.LogSettings.IsPlugin(host.LogConfig?.Type)) return false;
        if (new[] { host.NetworkMode, host.PidMode, host.IpcMode, host.UTSMode }.Any(JoinsAnotherContainer)) return false;
        if (container.MountPoints is null || container.MountPoints.Any(m => m.Type == "volume")) return false;
        return container.Networking.Endpoints.All(e => e.RequestedIp is null);
    }

    private static bool JoinsAnotherContainer(string mode) => mode.StartsWith("container:", StringComparison.Ordinal);
}
