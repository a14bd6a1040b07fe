using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Compose;
using Berth.Compose.Model;
using Berth.GoText;

namespace Berth.Cli.Stack;

/// <summary>
/// A compose project as a swarm stack, as `docker stack deploy` turns it: networks named stack_key (overlay unless the
/// file says otherwise) and services named stack_service, all labelled with the stack's namespace; each service's
/// ServiceSpec from its image, command, environment, ports, networks (the service's key an alias), volumes, secrets and
/// configs, healthcheck and deploy section.
/// </summary>
public static class StackSpecs
{
    public const string NamespaceLabel = "com.docker.stack.namespace";
    public const string ImageLabel = "com.docker.stack.image";

    /// <summary>The network keys the services use (the default network for a service that names none).</summary>
    public static IReadOnlyList<string> NetworkKeys(ComposeProject project)
    {
        var keys = new List<string>();
        foreach (var service in project.Services.Values)
        {
            var used = service.Networks.Count == 0 && service.NetworkMode is null ? ["default"] : service.Networks.Keys;
            foreach (var key in used)
                if (!keys.Contains(key)) keys.Add(key);
        }
        return keys;
    }

    /// <summary>POST /networks/create's body for one of the stack's own (not external) networks.</summary>
    public static JsonObject NetworkBody(string stack, NetworkConfig network)
    {
        var labels = Map(network.Labels);
        labels[NamespaceLabel] = stack;
        var body = new JsonObject
        {
            ["Name"] = network.Name,
            ["Driver"] = network.Driver ?? "overlay",
            ["Labels"] = labels,
            ["Options"] = Map(network.DriverOpts),
            ["Attachable"] = network.Attachable,
            ["Internal"] = network.Internal,
        };
        if (network.Ipam is { } ipam)
        {
            var pools = new JsonArray();
            foreach (var pool in ipam.Config)
            {
                var entry = new JsonObject();
                if (pool.Subnet is not null) entry["Subnet"] = pool.Subnet;
                if (pool.Gateway is not null) entry["Gateway"] = pool.Gateway;
                if (pool.IpRange is not null) entry["IPRange"] = pool.IpRange;
                pools.Add((JsonNode)entry);
            }
            body["IPAM"] = new JsonObject { ["Driver"] = ipam.Driver ?? "default", ["Config"] = pools };
        }
        return body;
    }

    /// <summary>The ServiceSpec of one compose service in the stack.</summary>
    public static JsonObject ServiceSpec(string stack, ComposeProject project, ServiceConfig service, StackObjectIds ids)
    {
        string image = service.Image ?? throw new ComposeException($"invalid image reference for service {service.Name}: no image specified");
        var deploy = service.Deploy ?? new DeployConfig();
        var serviceLabels = Map(deploy.Labels);
        serviceLabels[NamespaceLabel] = stack;
        serviceLabels[ImageLabel] = image;
        var containerLabels = Map(service.Labels);
        containerLabels[NamespaceLabel] = stack;

        var container = new JsonObject { ["Image"] = image, ["Labels"] = containerLabels };
        if (service.Entrypoint is { } entrypoint) container["Command"] = Strings(entrypoint);
        if (service.Command is { } command) container["Args"] = Strings(command);
        if (service.Hostname is { Length: > 0 } hostname) container["Hostname"] = hostname;
        if (service.Environment.Count > 0)
            container["Env"] = Strings(service.Environment.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => e.Value is null ? e.Key : $"{e.Key}={e.Value}"));
        if (service.WorkingDir is { Length: > 0 } dir) container["Dir"] = dir;
        if (service.User is { Length: > 0 } user) container["User"] = user;
        if (service.Tty) container["TTY"] = true;
        if (service.StdinOpen) container["OpenStdin"] = true;
        if (service.ReadOnly) container["ReadOnly"] = true;
        if (service.StopSignal is { Length: > 0 } signal) container["StopSignal"] = signal;
        if (service.StopGracePeriod is { } grace) container["StopGracePeriod"] = GoDuration.ToNanoseconds(grace);
        if (service.Init is { } init) container["Init"] = init;
        if (service.CapAdd.Count > 0) container["CapabilityAdd"] = Strings(service.CapAdd);
        if (service.CapDrop.Count > 0) container["CapabilityDrop"] = Strings(service.CapDrop);
        if (service.Sysctls.Count > 0) container["Sysctls"] = Map(service.Sysctls);
        if (service.HealthCheck is { } health && Healthcheck(health) is { } check) container["Healthcheck"] = check;
        if (service.Volumes.Count > 0) container["Mounts"] = StackMounts.Of(stack, project, service);
        if (service.Secrets.Count > 0) container["Secrets"] = StackFileObjects.References(project, service.Secrets, secrets: true, ids);
        if (service.Configs.Count > 0) container["Configs"] = StackFileObjects.References(project, service.Configs, secrets: false, ids);

        var template = new JsonObject { ["ContainerSpec"] = container };
        if (Resources(service, deploy) is { } resources) template["Resources"] = resources;
        if (RestartPolicy(service, deploy.RestartPolicy) is { } restart) template["RestartPolicy"] = restart;
        if (deploy.PlacementConstraints.Count > 0)
            template["Placement"] = new JsonObject { ["Constraints"] = Strings(deploy.PlacementConstraints) };
        template["Networks"] = Networks(project, service);
        if (service.Logging is { Driver: { Length: > 0 } driver } logging)
            template["LogDriver"] = new JsonObject { ["Name"] = driver, ["Options"] = Map(logging.Options) };

        var spec = new JsonObject
        {
            ["Name"] = $"{stack}_{service.Name}",
            ["Labels"] = serviceLabels,
            ["TaskTemplate"] = template,
            ["Mode"] = deploy.Mode switch
            {
                null or "" or "replicated" => new JsonObject { ["Replicated"] = new JsonObject { ["Replicas"] = service.Scale ?? 1 } },
                "global" => new JsonObject { ["Global"] = new JsonObject() },
                var other => throw new ComposeException($"Unknown mode: {other}"),
            },
        };
        if (Update(deploy.UpdateConfig) is { } update) spec["UpdateConfig"] = update;
        if (Update(deploy.RollbackConfig) is { } rollback) spec["RollbackConfig"] = rollback;
        var endpoint = new JsonObject { ["Mode"] = deploy.EndpointMode is { Length: > 0 } mode ? mode : "vip" };
        if (service.Ports.Count > 0) endpoint["Ports"] = Ports(service.Ports);
        spec["EndpointSpec"] = endpoint;
        return spec;
    }

    private static JsonArray Networks(ComposeProject project, ServiceConfig service)
    {
        var result = new JsonArray();
        var used = service.Networks.Count == 0 ? new Dictionary<string, ServiceNetwork> { ["default"] = new() } : service.Networks;
        foreach (var (key, network) in used.OrderBy(n => NetworkName(project, n.Key), StringComparer.Ordinal))
        {
            // The service's key is an alias on each of its networks, so the stack's services find each other by it.
            var aliases = network.Aliases.Where(a => a != service.Name).Append(service.Name);
            result.Add((JsonNode)new JsonObject { ["Target"] = NetworkName(project, key), ["Aliases"] = Strings(aliases) });
        }
        return result;
    }

    public static string NetworkName(ComposeProject project, string key) =>
        project.Networks.TryGetValue(key, out var network) ? network.Name : key;

    private static JsonArray Ports(IEnumerable<ServicePort> ports)
    {
        var result = new JsonArray();
        foreach (var port in ports)
        {
            var range = PublishedRange(port.Published);
            for (int offset = 0; offset <= Math.Max(0, range.Last - range.First); offset++)
            {
                var entry = new JsonObject { ["Protocol"] = port.Protocol, ["TargetPort"] = port.Target + offset };
                if (range.First > 0) entry["PublishedPort"] = range.First + offset;
                entry["PublishMode"] = port.Mode;
                result.Add((JsonNode)entry);
            }
        }
        return result;
    }

    private static (int First, int Last) PublishedRange(string? published)
    {
        if (string.IsNullOrEmpty(published)) return (0, 0);
        var parts = published.Split('-', 2);
        int first = int.Parse(parts[0], CultureInfo.InvariantCulture);
        return (first, parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : first);
    }

    private static JsonObject? Healthcheck(HealthCheckConfig health)
    {
        if (health.Disable) return new JsonObject { ["Test"] = Strings(["NONE"]) };
        var check = new JsonObject();
        if (health.Test is { } test) check["Test"] = Strings(test);
        if (health.Interval is { } interval) check["Interval"] = GoDuration.ToNanoseconds(interval);
        if (health.Timeout is { } timeout) check["Timeout"] = GoDuration.ToNanoseconds(timeout);
        if (health.StartPeriod is { } start) check["StartPeriod"] = GoDuration.ToNanoseconds(start);
        if (health.StartInterval is { } startInterval) check["StartInterval"] = GoDuration.ToNanoseconds(startInterval);
        if (health.Retries is { } retries) check["Retries"] = retries;
        return check.Count == 0 ? null : check;
    }

    private static JsonObject? Resources(ServiceConfig service, DeployConfig deploy)
    {
        var limits = new JsonObject();
        if (service.Cpus is { } cpus) limits["NanoCPUs"] = (long)Math.Round(cpus * 1e9);
        if (service.MemLimit is { } memory) limits["MemoryBytes"] = memory;
        if (service.PidsLimit is { } pids) limits["Pids"] = pids;
        var reservations = new JsonObject();
        if (deploy.ReservationCpus is { } reserved) reservations["NanoCPUs"] = (long)Math.Round(reserved * 1e9);
        if (service.MemReservation is { } memoryReserved) reservations["MemoryBytes"] = memoryReserved;
        if (limits.Count == 0 && reservations.Count == 0) return null;
        var resources = new JsonObject();
        if (limits.Count > 0) resources["Limits"] = limits;
        if (reservations.Count > 0) resources["Reservations"] = reservations;
        return resources;
    }

    /// <summary>deploy.restart_policy, else the service's restart key in swarm's terms (unless-stopped and always are any).</summary>
    private static JsonObject? RestartPolicy(ServiceConfig service, DeployRestartPolicy? policy)
    {
        if (policy is not null)
        {
            var result = new JsonObject { ["Condition"] = policy.Condition ?? "any" };
            if (policy.Delay is { } delay) result["Delay"] = GoDuration.ToNanoseconds(delay);
            if (policy.MaxAttempts is { } attempts) result["MaxAttempts"] = attempts;
            if (policy.Window is { } window) result["Window"] = GoDuration.ToNanoseconds(window);
            return result;
        }
        return service.Restart switch
        {
            null or "" => null,
            "no" => new JsonObject { ["Condition"] = "none" },
            "always" or "unless-stopped" => new JsonObject { ["Condition"] = "any" },
            var onFailure when onFailure.StartsWith("on-failure", StringComparison.Ordinal) => onFailure.Split(':', 2) is [_, var max]
                ? new JsonObject { ["Condition"] = "on-failure", ["MaxAttempts"] = long.Parse(max, CultureInfo.InvariantCulture) }
                : new JsonObject { ["Condition"] = "on-failure" },
            var other => throw new ComposeException($"unknown restart policy: {other}"),
        };
    }

    private static JsonObject? Update(DeployUpdateConfig? config)
    {
        if (config is null) return null;
        var result = new JsonObject { ["Parallelism"] = config.Parallelism ?? 1 };
        if (config.Delay is { } delay) result["Delay"] = GoDuration.ToNanoseconds(delay);
        if (config.FailureAction is { Length: > 0 } action) result["FailureAction"] = action;
        if (config.Monitor is { } monitor) result["Monitor"] = GoDuration.ToNanoseconds(monitor);
        if (config.MaxFailureRatio is { } ratio) result["MaxFailureRatio"] = ratio;
        if (config.Order is { Length: > 0 } order) result["Order"] = order;
        return result;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var result = new JsonObject();
        foreach (var (key, value) in values) result[key] = value;
        return result;
    }
}
