using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// <c>extra_hosts</c> as docker's "host:ip" strings, from a list of "host:ip" or "host=ip" or from a mapping whose
/// values are an address or a list of addresses.
/// </summary>
internal static class ExtraHosts
{
    public static List<string> Read(JsonNode? node, string path)
    {
        var hosts = new List<string>();
        if (node is JsonObject mapping)
        {
            foreach (var (host, value) in mapping)
            {
                foreach (var address in RawNodes.StringOrList(value, $"{path}.{host}"))
                    hosts.Add($"{host}:{address}");
            }
            return hosts;
        }
        foreach (var entry in RawNodes.StringOrList(node, path))
        {
            // "=" was added so IPv6 addresses need no care; when present it is the separator.
            var equals = entry.IndexOf('=');
            hosts.Add(equals >= 0 ? $"{entry[..equals]}:{entry[(equals + 1)..]}" : entry);
        }
        return hosts;
    }
}
