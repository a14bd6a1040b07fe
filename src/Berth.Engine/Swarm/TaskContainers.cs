using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Api;

namespace Berth.Engine.Swarm;

/// <summary>
/// A task's container as swarm's executor makes it: named service.slot.task, labelled with the swarm's IDs, its
/// config and host config read from the task's ContainerSpec, Resources and LogDriver.
/// </summary>
public static class TaskContainers
{
    public const string ServiceIdLabel = "com.docker.swarm.service.id";
    public const string TaskIdLabel = "com.docker.swarm.task.id";

    public static string ContainerName(string taskName, SwarmTask task) => $"{taskName}.{task.ID}";

    /// <summary>The task's name as Docker shows it: service.slot, or service.node for a global service's task.</summary>
    public static string TaskName(string serviceName, SwarmTask task) => task.Slot != 0 ? $"{serviceName}.{task.Slot}" : $"{serviceName}.{task.NodeID}";

    public static (ContainerConfig Config, HostConfig HostConfig) Build(SwarmTask task, string serviceName, string taskName, string nodeId)
    {
        var spec = ServiceSpecs.ContainerSpec(task.Spec);
        var labels = Strings(spec["Labels"]);
        labels["com.docker.swarm.node.id"] = nodeId;
        labels[ServiceIdLabel] = task.ServiceID;
        labels["com.docker.swarm.service.name"] = serviceName;
        labels["com.docker.swarm.task"] = "";
        labels[TaskIdLabel] = task.ID;
        labels["com.docker.swarm.task.name"] = ContainerName(taskName, task);
        var config = new ContainerConfig
        {
            Image = spec["Image"]!.GetValue<string>(),
            Entrypoint = List(spec["Command"]),
            Cmd = List(spec["Args"]),
            Env = List(spec["Env"]),
            WorkingDir = Text(spec["Dir"]),
            User = Text(spec["User"]),
            Hostname = Text(spec["Hostname"]),
            Tty = spec["TTY"]?.GetValue<bool>() ?? false,
            OpenStdin = spec["OpenStdin"]?.GetValue<bool>() ?? false,
            StopSignal = spec["StopSignal"]?.GetValue<string>() is { Length: > 0 } signal ? signal : null,
            Labels = labels,
            Healthcheck = spec["HealthCheck"] is JsonObject health ? health.Deserialize(ApiJson.Context.HealthConfig) : null,
        };
        if (spec["StopGracePeriod"]?.GetValue<long>() is long grace) config.StopTimeout = (int)(grace / 1_000_000_000);
        var resources = task.Spec["Resources"];
        var dns = spec["DNSConfig"];
        var host = new HostConfig
        {
            NetworkMode = "default",
            Mounts = spec["Mounts"] is JsonArray mounts ? [.. mounts.OfType<JsonObject>().Select(m => m.Deserialize(ApiJson.Context.Mount)!)] : null,
            ReadonlyRootfs = spec["ReadOnly"]?.GetValue<bool>() ?? false,
            Init = spec["Init"]?.GetValue<bool>() == true ? true : null,
            CapAdd = List(spec["CapabilityAdd"]),
            CapDrop = List(spec["CapabilityDrop"]),
            GroupAdd = List(spec["Groups"]),
            // swarm writes hosts as "IP name [alias...]"; the engine takes "name:IP" per name.
            ExtraHosts = List(spec["Hosts"])?.SelectMany(HostEntries).ToList(),
            Dns = List(dns?["Nameservers"]),
            DnsSearch = List(dns?["Search"]),
            DnsOptions = List(dns?["Options"]),
            Sysctls = spec["Sysctls"] is JsonObject ? Strings(spec["Sysctls"]) : null,
            Ulimits = spec["Ulimits"] is JsonArray ulimits ? [.. ulimits.OfType<JsonObject>().Select(u => u.Deserialize(ApiJson.Context.Ulimit)!)] : null,
            OomScoreAdj = (int)(spec["OomScoreAdj"]?.GetValue<long>() ?? 0),
            NanoCpus = resources?["Limits"]?["NanoCPUs"]?.GetValue<long>() ?? 0,
            Memory = resources?["Limits"]?["MemoryBytes"]?.GetValue<long>() ?? 0,
            PidsLimit = resources?["Limits"]?["Pids"]?.GetValue<long>() is > 0 and var pids ? pids : null,
            MemoryReservation = resources?["Reservations"]?["MemoryBytes"]?.GetValue<long>() ?? 0,
        };
        if (task.Spec["LogDriver"] is JsonObject log && Text(log["Name"]) is { Length: > 0 } driver)
            host.LogConfig = new LogConfig { Type = driver, Config = Strings(log["Options"]) };
        return (config, host);
    }

    private static IEnumerable<string> HostEntries(string line)
    {
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2) return [line];
        return fields.Skip(1).Select(name => $"{name}:{fields[0]}");
    }

    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? "";

    private static List<string>? List(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(item => item?.GetValue<string>() ?? "")] : null;

    private static Dictionary<string, string> Strings(JsonNode? node) =>
        node is JsonObject map ? map.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "") : [];
}
