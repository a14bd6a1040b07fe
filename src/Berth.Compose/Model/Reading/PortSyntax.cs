using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// A service's <c>ports</c> and <c>expose</c>. Short ports are <c>[ip:][published:]target[/protocol]</c>, where
/// published and target may be ranges: equal ranges pair up port by port, a published range with one target stays a
/// range (the engine picks one port of it), and an IPv6 host address is written in brackets.
/// </summary>
internal static class PortSyntax
{
    public static List<ServicePort> ReadPorts(JsonNode? node, string path)
    {
        var ports = new List<ServicePort>();
        if (node is null)
            return ports;
        if (node is not JsonArray items)
            throw RawNodes.Invalid(path, "must be a list");
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}.{i}";
            if (items[i] is JsonObject mapping)
                ports.Add(ReadLong(mapping, itemPath));
            else
                ports.AddRange(ParseShort(RawNodes.RequiredString(items[i], itemPath), itemPath));
        }
        return ports;
    }

    private static ServicePort ReadLong(JsonObject mapping, string path)
    {
        var target = RawNodes.RequiredString(mapping["target"], $"{path}.target");
        var published = RawNodes.String(mapping["published"], $"{path}.published");
        if (published is not null)
            ParseRange(published, path);
        var protocol = RawNodes.String(mapping["protocol"], $"{path}.protocol")?.ToLowerInvariant() ?? "tcp";
        CheckProtocol(protocol, path);
        var mode = RawNodes.String(mapping["mode"], $"{path}.mode") ?? "ingress";
        if (mode is not ("ingress" or "host"))
            throw RawNodes.Invalid(path, $"invalid port mode \"{mode}\"");
        return new ServicePort
        {
            Target = ParsePort(target, path),
            Published = string.IsNullOrEmpty(published) ? null : published,
            HostIp = RawNodes.String(mapping["host_ip"], $"{path}.host_ip"),
            Protocol = protocol,
            Mode = mode,
            Name = RawNodes.String(mapping["name"], $"{path}.name"),
        };
    }

    public static List<ServicePort> ParseShort(string spec, string path)
    {
        var rest = spec;
        var protocol = "tcp";
        var slash = rest.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = rest[(slash + 1)..].ToLowerInvariant();
            rest = rest[..slash];
            CheckProtocol(protocol, path);
        }

        string? hostIp = null;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0 || close + 1 >= rest.Length || rest[close + 1] != ':')
                throw RawNodes.Invalid(path, $"invalid port \"{spec}\"");
            hostIp = rest[1..close];
            rest = rest[(close + 2)..];
        }

        var parts = rest.Split(':');
        string published;
        string target;
        switch (parts.Length)
        {
            case 1:
                (published, target) = ("", parts[0]);
                break;
            case 2:
                // "[::1]:8080:80" leaves "8080:80" after the address, like "8080:80" without one.
                (published, target) = (parts[0], parts[1]);
                break;
            case 3 when hostIp is null:
                (hostIp, published, target) = (parts[0], parts[1], parts[2]);
                break;
            default:
                throw RawNodes.Invalid(path, $"invalid port \"{spec}\"");
        }
        if (hostIp == "")
            hostIp = null;

        var (targetFirst, targetLast) = ParseRange(target, path);
        var ports = new List<ServicePort>();
        if (published == "")
        {
            for (var port = targetFirst; port <= targetLast; port++)
                ports.Add(new ServicePort { Target = port, HostIp = hostIp, Protocol = protocol });
            return ports;
        }

        var (publishedFirst, publishedLast) = ParseRange(published, path);
        if (targetFirst == targetLast)
        {
            ports.Add(new ServicePort { Target = targetFirst, Published = published, HostIp = hostIp, Protocol = protocol });
            return ports;
        }
        if (publishedLast - publishedFirst != targetLast - targetFirst)
            throw RawNodes.Invalid(path, $"invalid ranges specified for container and host ports \"{spec}\"");
        for (var offset = 0; offset <= targetLast - targetFirst; offset++)
        {
            ports.Add(new ServicePort
            {
                Target = targetFirst + offset,
                Published = (publishedFirst + offset).ToString(CultureInfo.InvariantCulture),
                HostIp = hostIp,
                Protocol = protocol,
            });
        }
        return ports;
    }

    /// <summary>Exposed ports as the engine keys them ("80/tcp"), ranges expanded.</summary>
    public static List<string> ReadExpose(JsonNode? node, string path)
    {
        var exposed = new List<string>();
        var items = RawNodes.StringOrList(node, path);
        for (var i = 0; i < items.Count; i++)
        {
            var spec = items[i];
            var itemPath = $"{path}.{i}";
            var protocol = "tcp";
            var slash = spec.LastIndexOf('/');
            var ports = spec;
            if (slash >= 0)
            {
                protocol = spec[(slash + 1)..].ToLowerInvariant();
                ports = spec[..slash];
                CheckProtocol(protocol, itemPath);
            }
            var (first, last) = ParseRange(ports, itemPath);
            for (var port = first; port <= last; port++)
                exposed.Add($"{port.ToString(CultureInfo.InvariantCulture)}/{protocol}");
        }
        return exposed;
    }

    private static (int First, int Last) ParseRange(string text, string path)
    {
        var dash = text.IndexOf('-');
        if (dash < 0)
        {
            var port = ParsePort(text, path);
            return (port, port);
        }
        var first = ParsePort(text[..dash], path);
        var last = ParsePort(text[(dash + 1)..], path);
        if (last < first)
            throw RawNodes.Invalid(path, $"invalid port range \"{text}\"");
        return (first, last);
    }

    private static int ParsePort(string text, string path) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port
            : throw RawNodes.Invalid(path, $"invalid port \"{text}\"");

    private static void CheckProtocol(string protocol, string path)
    {
        if (protocol is not ("tcp" or "udp" or "sctp"))
            throw RawNodes.Invalid(path, $"invalid protocol \"{protocol}\"");
    }
}
