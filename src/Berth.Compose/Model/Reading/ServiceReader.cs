using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>One service of the raw document read into a <see cref="ServiceConfig"/>, short syntax made long.</summary>
internal static class ServiceReader
{
    public static ServiceConfig Read(string name, JsonNode? node, ProjectScope scope)
    {
        var path = $"services.{name}";
        var service = RawNodes.Mapping(node, path) ?? [];
        RawNodes.CheckKeys(service, AllowedKeys.Service, path);

        var image = RawNodes.String(service["image"], $"{path}.image");
        var build = BuildSyntax.Read(service["build"], $"{path}.build", scope);
        if (image is null && build is null)
            throw new ComposeException(
                $"service \"{name}\" has neither an image nor a build context specified: invalid compose project");
        var (networks, networkMode) = ServiceNetworksSyntax.Read(service, path, name, scope);

        var config = new ServiceConfig
        {
            Name = name,
            Image = image,
            Build = build,
            Command = Argv(service["command"], $"{path}.command"),
            Entrypoint = Argv(service["entrypoint"], $"{path}.entrypoint"),
            Environment = EnvironmentSyntax.Read(service, path, scope.Context),
            Labels = RawNodes.StringMap(service["labels"], $"{path}.labels"),
            ContainerName = Text(service, path, "container_name"),
            Hostname = Text(service, path, "hostname"),
            Domainname = Text(service, path, "domainname"),
            User = Text(service, path, "user"),
            WorkingDir = Text(service, path, "working_dir"),
            Platform = Text(service, path, "platform"),
            Ports = PortSyntax.ReadPorts(service["ports"], $"{path}.ports"),
            Expose = PortSyntax.ReadExpose(service["expose"], $"{path}.expose"),
            Volumes = VolumeSyntax.Read(service["volumes"], $"{path}.volumes", name, scope),
            Tmpfs = List(service, path, "tmpfs"),
            VolumesFrom = List(service, path, "volumes_from"),
            Networks = networks,
            NetworkMode = networkMode,
            Links = List(service, path, "links"),
            ExtraHosts = ExtraHosts.Read(service["extra_hosts"], $"{path}.extra_hosts"),
            Dns = List(service, path, "dns"),
            DnsSearch = List(service, path, "dns_search"),
            DnsOpt = List(service, path, "dns_opt"),
            MacAddress = Text(service, path, "mac_address"),
            DependsOn = DependsOnSyntax.Read(service["depends_on"], $"{path}.depends_on", name, scope),
            Restart = Restart(service["restart"], $"{path}.restart"),
            HealthCheck = HealthCheckSyntax.Read(service["healthcheck"], $"{path}.healthcheck"),
            StopSignal = Text(service, path, "stop_signal"),
            StopGracePeriod = RawNodes.Duration(service["stop_grace_period"], $"{path}.stop_grace_period"),
            Init = RawNodes.Bool(service["init"], $"{path}.init"),
            Privileged = Flag(service, path, "privileged"),
            ReadOnly = Flag(service, path, "read_only"),
            Tty = Flag(service, path, "tty"),
            StdinOpen = Flag(service, path, "stdin_open"),
            CapAdd = List(service, path, "cap_add"),
            CapDrop = List(service, path, "cap_drop"),
            SecurityOpt = List(service, path, "security_opt"),
            GroupAdd = List(service, path, "group_add"),
            Devices = Devices(service["devices"], $"{path}.devices"),
            Ipc = Text(service, path, "ipc"),
            Pid = Text(service, path, "pid"),
            Sysctls = RawNodes.StringMap(service["sysctls"], $"{path}.sysctls"),
            Ulimits = UlimitSyntax.Read(service["ulimits"], $"{path}.ulimits"),
            OomKillDisable = RawNodes.Bool(service["oom_kill_disable"], $"{path}.oom_kill_disable"),
            OomScoreAdj = RawNodes.Int(service["oom_score_adj"], $"{path}.oom_score_adj"),
            Profiles = List(service, path, "profiles"),
            PullPolicy = Text(service, path, "pull_policy"),
            Logging = Logging(service["logging"], $"{path}.logging"),
            Secrets = FileReferenceSyntax.Read(service["secrets"], $"{path}.secrets", name, scope.SecretKeys, secrets: true),
            Configs = FileReferenceSyntax.Read(service["configs"], $"{path}.configs", name, scope.ConfigKeys, secrets: false),
        };
        return DeploySyntax.Apply(ResourceSyntax.Apply(config, service, path), service, path);
    }

    /// <summary>A string is split as a shell would; a list is taken as it is (an empty one resets the image's).</summary>
    private static IReadOnlyList<string>? Argv(JsonNode? node, string path)
    {
        if (node is null or JsonArray)
            return node is null ? null : RawNodes.StringOrList(node, path);
        var text = RawNodes.RequiredString(node, path);
        return ShellWords.TrySplit(text, out var words, out var error) ? words : throw RawNodes.Invalid(path, error!);
    }

    private static string? Restart(JsonNode? node, string path)
    {
        var restart = RawNodes.String(node, path);
        if (restart is null or "no" or "always" or "unless-stopped" or "on-failure")
            return restart;
        // YAML 1.1 reads an unquoted `no` as false; Compose accepts it as "no".
        if (restart.Equals("false", StringComparison.OrdinalIgnoreCase))
            return "no";
        if (restart.StartsWith("on-failure:", StringComparison.Ordinal) && int.TryParse(restart[11..], out var tries) && tries >= 0)
            return restart;
        throw RawNodes.Invalid(path, $"invalid restart policy \"{restart}\"");
    }

    /// <summary>Devices as docker's "host[:container[:permissions]]"; the long form {source, target, permissions} too.</summary>
    private static List<string> Devices(JsonNode? node, string path)
    {
        if (node is not JsonArray items)
            return RawNodes.StringOrList(node, path);
        var devices = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}.{i}";
            if (items[i] is JsonObject mapping)
            {
                var source = RawNodes.RequiredString(mapping["source"], $"{itemPath}.source");
                var target = RawNodes.String(mapping["target"], $"{itemPath}.target") ?? source;
                var permissions = RawNodes.String(mapping["permissions"], $"{itemPath}.permissions") ?? "rwm";
                devices.Add($"{source}:{target}:{permissions}");
            }
            else
            {
                devices.Add(RawNodes.RequiredString(items[i], itemPath));
            }
        }
        return devices;
    }

    private static LoggingConfig? Logging(JsonNode? node, string path)
    {
        var mapping = RawNodes.Mapping(node, path);
        if (mapping is null)
            return null;
        return new LoggingConfig
        {
            Driver = RawNodes.String(mapping["driver"], $"{path}.driver"),
            Options = RawNodes.StringMap(mapping["options"], $"{path}.options"),
        };
    }

    private static string? Text(JsonObject service, string path, string key) => RawNodes.String(service[key], $"{path}.{key}");

    private static List<string> List(JsonObject service, string path, string key) =>
        RawNodes.StringOrList(service[key], $"{path}.{key}");

    private static bool Flag(JsonObject service, string path, string key) =>
        RawNodes.Bool(service[key], $"{path}.{key}") ?? false;
}
