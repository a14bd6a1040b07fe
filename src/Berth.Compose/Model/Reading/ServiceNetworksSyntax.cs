using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// A service's <c>networks</c> (a list of keys, or a mapping to per-network options) and <c>network_mode</c>, which
/// exclude each other. A service with neither joins the project's default network.
/// </summary>
internal static class ServiceNetworksSyntax
{
    public static (Dictionary<string, ServiceNetwork> Networks, string? Mode) Read(
        JsonObject service, string path, string name, ProjectScope scope)
    {
        var mode = RawNodes.String(service["network_mode"], $"{path}.network_mode");
        var node = service["networks"];
        var networks = new Dictionary<string, ServiceNetwork>(StringComparer.Ordinal);
        if (mode is not null)
        {
            if (node is not null)
                throw new ComposeException(
                    $"service {name} declares mutually exclusive `network_mode` and `networks`: invalid compose project");
            if (mode.StartsWith("service:", StringComparison.Ordinal) && !scope.ServiceNames.Contains(mode[8..]))
                throw new ComposeException(
                    $"service \"{name}\" refers to undefined service {mode[8..]}: invalid compose project");
            return (networks, mode);
        }

        switch (node)
        {
            case null:
                networks["default"] = new ServiceNetwork();
                break;
            case JsonArray:
                foreach (var key in RawNodes.StringOrList(node, $"{path}.networks"))
                    networks[key] = new ServiceNetwork();
                break;
            case JsonObject mapping:
                foreach (var (key, value) in mapping)
                    networks[key] = ReadOptions(value, $"{path}.networks.{key}");
                break;
            default:
                throw RawNodes.Invalid($"{path}.networks", "must be a list or a mapping");
        }
        foreach (var key in networks.Keys)
        {
            if (!scope.NetworkKeys.Contains(key))
                throw new ComposeException($"service \"{name}\" refers to undefined network {key}: invalid compose project");
        }
        return (networks, null);
    }

    private static ServiceNetwork ReadOptions(JsonNode? node, string path)
    {
        var mapping = RawNodes.Mapping(node, path);
        if (mapping is null)
            return new ServiceNetwork();
        return new ServiceNetwork
        {
            Aliases = RawNodes.StringOrList(mapping["aliases"], $"{path}.aliases"),
            Ipv4Address = RawNodes.String(mapping["ipv4_address"], $"{path}.ipv4_address"),
            Ipv6Address = RawNodes.String(mapping["ipv6_address"], $"{path}.ipv6_address"),
            MacAddress = RawNodes.String(mapping["mac_address"], $"{path}.mac_address"),
            Priority = RawNodes.Int(mapping["priority"], $"{path}.priority"),
        };
    }
}
