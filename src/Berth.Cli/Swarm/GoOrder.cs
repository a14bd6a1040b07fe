using System.Text.Json.Nodes;

namespace Berth.Cli.Swarm;

/// <summary>
/// Puts a ServiceSpec's members in the order of docker's Go structs, so a spec edited by <c>service update</c> is sent
/// (and echoed back by the daemon) in the same shape as the docker CLI would send it.
/// </summary>
public static class GoOrder
{
    private static readonly string[] ServiceSpec = ["Name", "Labels", "TaskTemplate", "Mode", "UpdateConfig", "RollbackConfig", "Networks", "EndpointSpec"];
    private static readonly string[] TaskSpec = ["ContainerSpec", "PluginSpec", "NetworkAttachmentSpec", "Resources", "RestartPolicy", "Placement", "Networks", "LogDriver", "ForceUpdate", "Runtime"];
    private static readonly string[] ContainerSpec =
    [
        "Image", "Labels", "Command", "Args", "Hostname", "Env", "Dir", "User", "Groups", "Privileges", "Init", "StopSignal", "TTY", "OpenStdin",
        "ReadOnly", "Mounts", "StopGracePeriod", "Healthcheck", "Hosts", "DNSConfig", "Secrets", "Configs", "Isolation", "Sysctls", "CapabilityAdd",
        "CapabilityDrop", "Ulimits", "OomScoreAdj",
    ];
    private static readonly string[] Resources = ["Limits", "Reservations"];
    private static readonly string[] Limit = ["NanoCPUs", "MemoryBytes", "Pids", "GenericResources"];
    private static readonly string[] RestartPolicy = ["Condition", "Delay", "MaxAttempts", "Window"];
    private static readonly string[] Placement = ["Constraints", "Preferences", "MaxReplicas", "Platforms"];
    private static readonly string[] UpdateConfig = ["Parallelism", "Delay", "FailureAction", "Monitor", "MaxFailureRatio", "Order"];
    private static readonly string[] EndpointSpec = ["Mode", "Ports"];
    private static readonly string[] PortConfig = ["Name", "Protocol", "TargetPort", "PublishedPort", "PublishMode"];
    private static readonly string[] DnsConfig = ["Nameservers", "Search", "Options"];
    private static readonly string[] Healthcheck = ["Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"];

    public static void Service(JsonObject spec)
    {
        Reorder(spec, ServiceSpec);
        if (spec["TaskTemplate"] is JsonObject task)
        {
            Reorder(task, TaskSpec);
            if (task["ContainerSpec"] is JsonObject container)
            {
                Reorder(container, ContainerSpec);
                Reorder(container["DNSConfig"] as JsonObject, DnsConfig);
                Reorder(container["Healthcheck"] as JsonObject, Healthcheck);
            }
            if (task["Resources"] is JsonObject resources)
            {
                Reorder(resources, Resources);
                Reorder(resources["Limits"] as JsonObject, Limit);
                Reorder(resources["Reservations"] as JsonObject, Limit);
            }
            Reorder(task["RestartPolicy"] as JsonObject, RestartPolicy);
            Reorder(task["Placement"] as JsonObject, Placement);
        }
        Reorder(spec["UpdateConfig"] as JsonObject, UpdateConfig);
        Reorder(spec["RollbackConfig"] as JsonObject, UpdateConfig);
        if (spec["EndpointSpec"] is JsonObject endpoint)
        {
            Reorder(endpoint, EndpointSpec);
            foreach (var port in endpoint["Ports"] as JsonArray ?? [])
                Reorder(port as JsonObject, PortConfig);
        }
    }

    /// <summary>Known members first in <paramref name="order"/>, then the others as they were.</summary>
    private static void Reorder(JsonObject? target, string[] order)
    {
        if (target is null)
            return;
        var members = target.ToList();
        target.Clear();
        foreach (var name in order)
        {
            var index = members.FindIndex(m => m.Key == name);
            if (index >= 0)
            {
                target[name] = members[index].Value;
                members.RemoveAt(index);
            }
        }
        foreach (var (key, value) in members)
            target[key] = value;
    }
}
