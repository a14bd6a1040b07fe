using System.Text;
using System.Text.Json.Nodes;
using Berth.Compose.Model;
using Berth.GoText;

namespace Berth.Compose.Execution;

/// <summary>Turns a service into the engine's create body, as Compose v2 does.</summary>
public static class CreateBodyBuilder
{
    public static ContainerCreatePlan Build(ContainerCreateRequest request)
    {
        var service = request.Service;
        var body = new JsonObject
        {
            ["Image"] = request.Image,
            ["Labels"] = MountMapping.StringMap(request.Labels.OrderBy(p => p.Key, StringComparer.Ordinal)),
            ["Tty"] = service.Tty,
            ["OpenStdin"] = service.StdinOpen,
            ["StdinOnce"] = request.AttachStdin && service.StdinOpen,
            ["AttachStdin"] = request.AttachStdin,
            ["AttachStdout"] = true,
            ["AttachStderr"] = true,
        };
        if (service.Command is { } command)
            body["Cmd"] = Strings(command);
        if (service.Entrypoint is { } entrypoint)
            body["Entrypoint"] = Strings(entrypoint);
        body["Env"] = Strings(service.Environment.Where(p => p.Value is not null).Select(p => $"{p.Key}={p.Value}"));
        SetString(body, "Hostname", service.Hostname);
        SetString(body, "Domainname", service.Domainname);
        SetString(body, "User", service.User);
        SetString(body, "WorkingDir", service.WorkingDir);
        SetString(body, "StopSignal", service.StopSignal);
        SetString(body, "MacAddress", service.MacAddress);
        if (service.StopGracePeriod is { } grace)
            body["StopTimeout"] = (long)grace.TotalSeconds;
        var exposed = PortMapping.ExposedPorts(service.Ports, service.Expose);
        if (exposed.Count > 0)
            body["ExposedPorts"] = exposed;
        if (service.HealthCheck is { } health)
            body["Healthcheck"] = HealthCheck(health);

        var (networkMode, first, later) = Networks(request);
        body["HostConfig"] = HostConfig(request, networkMode);
        if (first is not null)
            body["NetworkingConfig"] = new JsonObject { ["EndpointsConfig"] = new JsonObject { [first.Network] = first.EndpointConfig } };
        return new ContainerCreatePlan(body, later, Injections(request.Project, service));
    }

    private static JsonObject HostConfig(ContainerCreateRequest request, string? networkMode)
    {
        var service = request.Service;
        var host = new JsonObject();
        var mounts = MountMapping.For(request.Project, service, request.InheritedVolumes);
        if (mounts.Binds.Count > 0)
            host["Binds"] = mounts.Binds;
        if (mounts.Mounts.Count > 0)
            host["Mounts"] = mounts.Mounts;
        if (mounts.Tmpfs.Count > 0)
            host["Tmpfs"] = mounts.Tmpfs;
        var bindings = PortMapping.PortBindings(service.Ports);
        if (bindings.Count > 0)
            host["PortBindings"] = bindings;
        if (RestartPolicy(service.Restart) is { } restart)
            host["RestartPolicy"] = restart;
        SetString(host, "NetworkMode", networkMode);
        host["Privileged"] = service.Privileged;
        host["ReadonlyRootfs"] = service.ReadOnly;
        SetList(host, "CapAdd", service.CapAdd);
        SetList(host, "CapDrop", service.CapDrop);
        SetList(host, "SecurityOpt", service.SecurityOpt);
        SetList(host, "GroupAdd", service.GroupAdd);
        SetList(host, "Dns", service.Dns);
        SetList(host, "DnsSearch", service.DnsSearch);
        SetList(host, "DnsOptions", service.DnsOpt);
        SetList(host, "ExtraHosts", service.ExtraHosts);
        if (service.Init is { } init)
            host["Init"] = init;
        SetString(host, "IpcMode", service.Ipc);
        SetString(host, "PidMode", service.Pid);
        if (service.Sysctls.Count > 0)
            host["Sysctls"] = MountMapping.StringMap(service.Sysctls);
        if (service.Ulimits.Count > 0)
        {
            host["Ulimits"] = new JsonArray(service.Ulimits
                .Select(p => (JsonNode?)new JsonObject { ["Name"] = p.Key, ["Soft"] = p.Value.Soft, ["Hard"] = p.Value.Hard }).ToArray());
        }
        SetLong(host, "Memory", service.MemLimit);
        SetLong(host, "MemorySwap", service.MemswapLimit);
        SetLong(host, "MemoryReservation", service.MemReservation);
        if (service.Cpus is { } cpus)
            host["NanoCpus"] = (long)Math.Round(cpus * 1e9);
        SetLong(host, "CpuShares", service.CpuShares);
        SetString(host, "CpusetCpus", service.Cpuset);
        SetLong(host, "PidsLimit", service.PidsLimit);
        SetLong(host, "ShmSize", service.ShmSize);
        if (service.OomKillDisable is { } oomKillDisable)
            host["OomKillDisable"] = oomKillDisable;
        if (service.OomScoreAdj is { } oomScoreAdj)
            host["OomScoreAdj"] = oomScoreAdj;
        if (service.Logging is { } logging)
            host["LogConfig"] = new JsonObject { ["Type"] = logging.Driver ?? "", ["Config"] = MountMapping.StringMap(logging.Options) };
        SetList(host, "VolumesFrom", service.VolumesFrom.Select(entry => VolumesFrom(request, entry)).ToList());
        SetList(host, "Links", Links(request));
        if (service.Devices.Count > 0)
            host["Devices"] = new JsonArray(service.Devices.Select(d => (JsonNode?)Device(d)).ToArray());
        if (request.AutoRemove)
            host["AutoRemove"] = true;
        return host;
    }

    private static (string? Mode, NetworkAttachment? First, List<NetworkAttachment> Later) Networks(ContainerCreateRequest request)
    {
        var service = request.Service;
        if (service.NetworkMode is { } mode)
        {
            if (mode.StartsWith("service:", StringComparison.Ordinal))
            {
                string target = mode["service:".Length..];
                var container = FirstContainer(request, target)
                    ?? throw new ComposeException($"service \"{service.Name}\" depends on service \"{target}\" for its network, which has no container");
                return ("container:" + container.Id, null, []);
            }
            return (mode, null, []);
        }
        var networks = service.Networks.Count > 0
            ? service.Networks
            : request.Project.Networks.ContainsKey("default")
                ? new Dictionary<string, ServiceNetwork> { ["default"] = new() }
                : new Dictionary<string, ServiceNetwork>();
        var ordered = networks.Select((pair, index) => (pair.Key, pair.Value, index))
            .OrderByDescending(n => n.Value.Priority ?? 0).ThenBy(n => n.index).ToList();
        var attachments = ordered.Select(n => new NetworkAttachment(EngineNetworkName(request.Project, n.Key), Endpoint(request, n.Value))).ToList();
        if (attachments.Count == 0)
            return (null, null, []);
        return (attachments[0].Network, attachments[0], attachments.Skip(1).ToList());
    }

    public static string EngineNetworkName(ComposeProject project, string key)
        => project.Networks.TryGetValue(key, out var network) ? network.Name : key;

    private static JsonObject Endpoint(ContainerCreateRequest request, ServiceNetwork network)
    {
        // Compose aliases every container by its own name; service containers also by the service's name.
        var aliases = new List<string> { request.Name };
        if (request.UseNetworkAliases)
        {
            aliases.Add(request.Service.Name);
            aliases.AddRange(network.Aliases);
        }
        var endpoint = new JsonObject { ["Aliases"] = Strings(aliases.Distinct(StringComparer.Ordinal)) };
        if (network.Ipv4Address is not null || network.Ipv6Address is not null)
        {
            var ipam = new JsonObject();
            SetString(ipam, "IPv4Address", network.Ipv4Address);
            SetString(ipam, "IPv6Address", network.Ipv6Address);
            endpoint["IPAMConfig"] = ipam;
        }
        SetString(endpoint, "MacAddress", network.MacAddress);
        return endpoint;
    }

    private static ContainerRef? FirstContainer(ContainerCreateRequest request, string service)
        => request.ServiceContainers.TryGetValue(service, out var containers) && containers.Count > 0 ? containers[0] : null;

    /// <summary><c>service:X[:ro]</c> (or a bare service name) becomes X's first container; <c>container:Y</c> is Y.</summary>
    private static string VolumesFrom(ContainerCreateRequest request, string entry)
    {
        if (entry.StartsWith("container:", StringComparison.Ordinal))
            return entry["container:".Length..];
        string rest = entry.StartsWith("service:", StringComparison.Ordinal) ? entry["service:".Length..] : entry;
        int colon = rest.IndexOf(':');
        string name = colon < 0 ? rest : rest[..colon], mode = colon < 0 ? "" : rest[colon..];
        if (!request.Project.Services.ContainsKey(name))
            return rest;
        var container = FirstContainer(request, name)
            ?? throw new ComposeException($"service \"{request.Service.Name}\" takes volumes from service \"{name}\", which has no container");
        return container.Name + mode;
    }

    /// <summary>A link to a service links every container of it under the alias (or the service name).</summary>
    private static List<string> Links(ContainerCreateRequest request)
    {
        var links = new List<string>();
        foreach (var link in request.Service.Links)
        {
            int colon = link.IndexOf(':');
            string target = colon < 0 ? link : link[..colon], alias = colon < 0 ? target : link[(colon + 1)..];
            if (request.ServiceContainers.TryGetValue(target, out var containers) && request.Project.Services.ContainsKey(target))
                links.AddRange(containers.Select(c => $"{c.Name}:{alias}"));
            else
                links.Add($"{target}:{alias}");
        }
        return links;
    }

    private static JsonObject Device(string spec)
    {
        var parts = spec.Split(':');
        string permissions = "rwm", inContainer = parts[0];
        if (parts.Length >= 2)
        {
            if (parts.Length == 2 && IsPermissions(parts[1]))
                permissions = parts[1];
            else
                inContainer = parts[1];
        }
        if (parts.Length >= 3)
            permissions = parts[2];
        return new JsonObject { ["PathOnHost"] = parts[0], ["PathInContainer"] = inContainer, ["CgroupPermissions"] = permissions };
    }

    private static bool IsPermissions(string value) => value.Length is > 0 and <= 3 && value.All(c => c is 'r' or 'w' or 'm');

    /// <summary>no, always, unless-stopped, on-failure[:N]; null when unset.</summary>
    public static JsonObject? RestartPolicy(string? restart)
    {
        if (string.IsNullOrEmpty(restart))
            return null;
        int colon = restart.IndexOf(':');
        var policy = new JsonObject { ["Name"] = colon < 0 ? restart : restart[..colon] };
        if (colon >= 0 && int.TryParse(restart[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out int count))
            policy["MaximumRetryCount"] = count;
        return policy;
    }

    private static JsonObject HealthCheck(HealthCheckConfig health)
    {
        if (health.Disable)
            return new JsonObject { ["Test"] = Strings(["NONE"]) };
        var result = new JsonObject();
        if (health.Test is { } test)
            result["Test"] = Strings(test);
        SetNanos(result, "Interval", health.Interval);
        SetNanos(result, "Timeout", health.Timeout);
        SetNanos(result, "StartPeriod", health.StartPeriod);
        SetNanos(result, "StartInterval", health.StartInterval);
        if (health.Retries is { } retries)
            result["Retries"] = retries;
        return result;
    }

    /// <summary>Secrets and configs given by an environment variable or inline content, written in after create.</summary>
    private static List<FileInjection> Injections(ComposeProject project, ServiceConfig service)
    {
        var injections = new List<FileInjection>();
        void From(IReadOnlyDictionary<string, FileObjectConfig> declared, ServiceFileReference reference)
        {
            if (!declared.TryGetValue(reference.Source, out var config) || config.File is not null)
                return;
            string? content = config.Content ?? (config.Environment is { } variable ? Environment.GetEnvironmentVariable(variable) : null);
            if (content is not null)
                injections.Add(new FileInjection(reference.Target, Encoding.UTF8.GetBytes(content)));
        }
        foreach (var reference in service.Secrets)
            From(project.Secrets, reference);
        foreach (var reference in service.Configs)
            From(project.Configs, reference);
        return injections;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    private static void SetString(JsonObject o, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            o[key] = value;
    }

    private static void SetLong(JsonObject o, string key, long? value)
    {
        if (value is { } v)
            o[key] = v;
    }

    private static void SetNanos(JsonObject o, string key, TimeSpan? value)
    {
        if (value is { } v)
            o[key] = GoDuration.ToNanoseconds(v);
    }

    private static void SetList(JsonObject o, string key, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
            o[key] = Strings(values);
    }
}
