using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// The top-level networks, volumes, secrets and configs. Each gets its engine name: <c>name</c> when set, the key
/// itself when external, <c>{project}_{key}</c> otherwise.
/// </summary>
internal static class TopLevelReader
{
    private static readonly HashSet<string> IpamKeys = ["driver", "config", "options"];

    public static Dictionary<string, NetworkConfig> Networks(JsonNode? node, ModelReaderContext context)
    {
        var networks = new Dictionary<string, NetworkConfig>(StringComparer.Ordinal);
        foreach (var (key, mapping, path) in Entries(node, "networks", AllowedKeys.Network))
        {
            var external = External(mapping, path);
            networks[key] = new NetworkConfig
            {
                Name = EngineName(key, mapping, path, external, context),
                Driver = RawNodes.String(mapping["driver"], $"{path}.driver"),
                DriverOpts = RawNodes.StringMap(mapping["driver_opts"], $"{path}.driver_opts"),
                External = external,
                Internal = RawNodes.Bool(mapping["internal"], $"{path}.internal") ?? false,
                Attachable = RawNodes.Bool(mapping["attachable"], $"{path}.attachable") ?? false,
                EnableIpv6 = RawNodes.Bool(mapping["enable_ipv6"], $"{path}.enable_ipv6") ?? false,
                Ipam = Ipam(mapping["ipam"], $"{path}.ipam"),
                Labels = RawNodes.StringMap(mapping["labels"], $"{path}.labels"),
            };
        }
        // Every project has a default network, which services without networks join; the file may redefine it.
        if (!networks.ContainsKey("default"))
            networks["default"] = new NetworkConfig { Name = $"{context.ProjectName}_default" };
        return networks;
    }

    public static Dictionary<string, VolumeConfig> Volumes(JsonNode? node, ModelReaderContext context)
    {
        var volumes = new Dictionary<string, VolumeConfig>(StringComparer.Ordinal);
        foreach (var (key, mapping, path) in Entries(node, "volumes", AllowedKeys.Volume))
        {
            var external = External(mapping, path);
            volumes[key] = new VolumeConfig
            {
                Name = EngineName(key, mapping, path, external, context),
                Driver = RawNodes.String(mapping["driver"], $"{path}.driver"),
                DriverOpts = RawNodes.StringMap(mapping["driver_opts"], $"{path}.driver_opts"),
                External = external,
                Labels = RawNodes.StringMap(mapping["labels"], $"{path}.labels"),
            };
        }
        return volumes;
    }

    public static Dictionary<string, FileObjectConfig> FileObjects(
        JsonNode? node, string section, IReadOnlySet<string> allowed, ModelReaderContext context)
    {
        var objects = new Dictionary<string, FileObjectConfig>(StringComparer.Ordinal);
        foreach (var (key, mapping, path) in Entries(node, section, allowed))
        {
            var external = External(mapping, path);
            var file = RawNodes.String(mapping["file"], $"{path}.file");
            var environment = RawNodes.String(mapping["environment"], $"{path}.environment");
            var content = RawNodes.String(mapping["content"], $"{path}.content");
            if (!external && file is null && environment is null && content is null)
                throw new ComposeException(
                    $"{section}.{key}: one of file, environment{(section == "configs" ? ", content" : "")} or external must be set");
            objects[key] = new FileObjectConfig
            {
                Name = EngineName(key, mapping, path, external, context),
                File = file is null ? null : Path.GetFullPath(file, context.WorkingDirectory),
                Environment = environment,
                Content = content,
                External = external,
            };
        }
        return objects;
    }

    private static IEnumerable<(string Key, JsonObject Mapping, string Path)> Entries(
        JsonNode? node, string section, IReadOnlySet<string> allowed)
    {
        var entries = RawNodes.Mapping(node, section);
        if (entries is null)
            yield break;
        foreach (var (key, value) in entries)
        {
            var path = $"{section}.{key}";
            var mapping = RawNodes.Mapping(value, path) ?? [];
            RawNodes.CheckKeys(mapping, allowed, path);
            yield return (key, mapping, path);
        }
    }

    /// <summary><c>external: true</c>, or the legacy <c>external: {name: x}</c> which also names the object.</summary>
    private static bool External(JsonObject mapping, string path) =>
        mapping["external"] is JsonObject || (RawNodes.Bool(mapping["external"], $"{path}.external") ?? false);

    private static string EngineName(string key, JsonObject mapping, string path, bool external, ModelReaderContext context)
    {
        var name = RawNodes.String(mapping["name"], $"{path}.name")
            ?? (mapping["external"] is JsonObject legacy ? RawNodes.String(legacy["name"], $"{path}.external.name") : null);
        return name ?? (external ? key : $"{context.ProjectName}_{key}");
    }

    private static IpamConfig? Ipam(JsonNode? node, string path)
    {
        var mapping = RawNodes.Mapping(node, path);
        if (mapping is null)
            return null;
        RawNodes.CheckKeys(mapping, IpamKeys, path);
        var pools = new List<IpamPool>();
        if (mapping["config"] is JsonArray items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                var poolPath = $"{path}.config.{i}";
                var pool = RawNodes.Mapping(items[i], poolPath) ?? [];
                pools.Add(new IpamPool
                {
                    Subnet = RawNodes.String(pool["subnet"], $"{poolPath}.subnet"),
                    Gateway = RawNodes.String(pool["gateway"], $"{poolPath}.gateway"),
                    IpRange = RawNodes.String(pool["ip_range"], $"{poolPath}.ip_range"),
                    AuxAddresses = RawNodes.StringMap(pool["aux_addresses"], $"{poolPath}.aux_addresses"),
                });
            }
        }
        else if (mapping["config"] is not null)
        {
            throw RawNodes.Invalid($"{path}.config", "must be a list");
        }
        return new IpamConfig
        {
            Driver = RawNodes.String(mapping["driver"], $"{path}.driver"),
            Config = pools,
            Options = RawNodes.StringMap(mapping["options"], $"{path}.options"),
        };
    }
}
