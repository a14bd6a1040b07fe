using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// Memory, CPU and pid limits and the number of replicas: the service's own keys, or deploy's when those are unset
/// (Compose applies deploy.resources to plain containers too).
/// </summary>
internal static class ResourceSyntax
{
    public static ServiceConfig Apply(ServiceConfig config, JsonObject service, string path)
    {
        var deploy = RawNodes.Mapping(service["deploy"], $"{path}.deploy");
        var resources = RawNodes.Mapping(deploy?["resources"], $"{path}.deploy.resources");
        var limits = RawNodes.Mapping(resources?["limits"], $"{path}.deploy.resources.limits");
        var reservations = RawNodes.Mapping(resources?["reservations"], $"{path}.deploy.resources.reservations");
        const string limitsPath = "deploy.resources.limits";

        var scale = RawNodes.Int(service["scale"], $"{path}.scale");
        var replicas = RawNodes.Int(deploy?["replicas"], $"{path}.deploy.replicas");
        if (scale is not null && replicas is not null && scale != replicas)
            throw new ComposeException(
                $"services.{config.Name}: can't set distinct values on 'scale' and 'deploy.replicas': invalid compose project");
        if ((scale ?? replicas) is < 0)
            throw RawNodes.Invalid($"{path}.scale", "must not be negative");

        return config with
        {
            MemLimit = RawNodes.Bytes(service["mem_limit"], $"{path}.mem_limit")
                ?? RawNodes.Bytes(limits?["memory"], $"{path}.{limitsPath}.memory"),
            // -1 lets the container use unlimited swap, as with docker run --memory-swap -1.
            MemswapLimit = RawNodes.String(service["memswap_limit"], $"{path}.memswap_limit") == "-1"
                ? -1
                : RawNodes.Bytes(service["memswap_limit"], $"{path}.memswap_limit"),
            MemReservation = RawNodes.Bytes(service["mem_reservation"], $"{path}.mem_reservation")
                ?? RawNodes.Bytes(reservations?["memory"], $"{path}.deploy.resources.reservations.memory"),
            Cpus = RawNodes.Double(service["cpus"], $"{path}.cpus")
                ?? RawNodes.Double(limits?["cpus"], $"{path}.{limitsPath}.cpus"),
            CpuShares = RawNodes.Long(service["cpu_shares"], $"{path}.cpu_shares"),
            Cpuset = RawNodes.String(service["cpuset"], $"{path}.cpuset"),
            PidsLimit = RawNodes.Long(service["pids_limit"], $"{path}.pids_limit")
                ?? RawNodes.Long(limits?["pids"], $"{path}.{limitsPath}.pids"),
            ShmSize = RawNodes.Bytes(service["shm_size"], $"{path}.shm_size"),
            Scale = scale ?? replicas,
        };
    }
}
