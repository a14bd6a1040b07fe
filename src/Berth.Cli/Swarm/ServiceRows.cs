using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Cli.Containers;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary>The fields of docker's service ls rows (ID, Name, Mode, Replicas, Image, Ports).</summary>
public static class ServiceRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}";

    public static JsonObject Header() => new()
    {
        ["ID"] = "ID",
        ["Name"] = "NAME",
        ["Mode"] = "MODE",
        ["Replicas"] = "REPLICAS",
        ["Image"] = "IMAGE",
        ["Ports"] = "PORTS",
    };

    public static JsonObject Row(SwarmService service)
    {
        var mode = service.Spec.Obj("Mode");
        var status = service.ServiceStatus ?? new ServiceStatus();
        string modeText, replicas;
        if (mode?.ContainsKey("Global") == true)
        {
            modeText = "global";
            replicas = $"{status.RunningTasks}/{status.DesiredTasks}";
        }
        else if (mode.Obj("ReplicatedJob") is { } job)
        {
            modeText = "replicated job";
            replicas = $"{status.RunningTasks}/{status.DesiredTasks} ({status.CompletedTasks}/{job.Long("TotalCompletions")} completed)";
        }
        else if (mode?.ContainsKey("GlobalJob") == true)
        {
            modeText = "global job";
            replicas = $"{status.RunningTasks}/{status.DesiredTasks} ({status.CompletedTasks}/{status.DesiredTasks + status.CompletedTasks} completed)";
        }
        else
        {
            modeText = "replicated";
            var max = service.Spec.Obj("TaskTemplate").Obj("Placement").Long("MaxReplicas");
            replicas = max > 0 ? $"{status.RunningTasks}/{status.DesiredTasks} (max {max} per node)" : $"{status.RunningTasks}/{status.DesiredTasks}";
        }
        var ports = (service.Endpoint.Ports ?? []).Select(p => new EndpointPort(p.PublishedPort, p.TargetPort, p.Protocol, p.PublishMode));
        return new JsonObject
        {
            ["ID"] = Short(service.ID),
            ["Image"] = DisplayImage(service.Spec.Obj("TaskTemplate").Obj("ContainerSpec").Str("Image")),
            ["Mode"] = modeText,
            ["Name"] = service.Spec.Str("Name"),
            ["Ports"] = ServicePorts.Summary(ports),
            ["Replicas"] = replicas,
        };
    }

    public static string Short(string id) => id.Length > 12 ? id[..12] : id;

    /// <summary>A tagged image is shown without its digest ("busybox:latest"); anything else as stored.</summary>
    public static string DisplayImage(string image)
    {
        var at = image.IndexOf('@');
        if (at < 0)
            return image;
        var name = image[..at];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? ImageReference.Parse(name).Familiar : image;
    }
}
