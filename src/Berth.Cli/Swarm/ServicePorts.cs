using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Containers;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary>
/// docker's service <c>-p/--publish</c>: the short syntax (<c>[published:]target[/proto]</c>, ranges allowed, no host IP)
/// or the long one (<c>published=8080,target=80,protocol=udp,mode=host</c>), into EndpointSpec PortConfigs.
/// </summary>
public static class ServicePorts
{
    public static List<JsonObject> Parse(string value)
    {
        if (value.Contains('='))
            return [ParseLong(value)];
        var specs = new PortSpecs();
        specs.AddPublish(value);
        var result = new List<JsonObject>();
        foreach (var (key, bindings) in specs.BindingsJson())
        {
            var slash = key.IndexOf('/');
            var target = uint.Parse(key[..slash], CultureInfo.InvariantCulture);
            var protocol = key[(slash + 1)..];
            foreach (var binding in bindings as JsonArray ?? [])
            {
                if (binding.Str("HostIp").Length > 0)
                    throw new InvalidOptionException("hostip is not supported");
                var hostPort = binding.Str("HostPort");
                var (start, end) = HostRange(hostPort, key);
                for (var published = start; published <= end; published++)
                    result.Add(Config(protocol, target, published, "ingress"));
            }
        }
        return [.. result.OrderBy(p => p.Long("TargetPort")).ThenBy(p => p.Long("PublishedPort"))];
    }

    private static (uint Start, uint End) HostRange(string hostPort, string key)
    {
        if (hostPort.Length == 0)
            return (0, 0);
        var dash = hostPort.IndexOf('-');
        if (dash < 0)
            return (uint.Parse(hostPort, CultureInfo.InvariantCulture), uint.Parse(hostPort, CultureInfo.InvariantCulture));
        if (uint.TryParse(hostPort[..dash], CultureInfo.InvariantCulture, out var start) && uint.TryParse(hostPort[(dash + 1)..], CultureInfo.InvariantCulture, out var end))
            return (start, end);
        throw new InvalidOptionException($"invalid hostport binding ({hostPort}) for port ({key[..key.IndexOf('/')]})");
    }

    private static JsonObject ParseLong(string value)
    {
        string protocol = "", mode = "";
        uint target = 0, published = 0;
        foreach (var field in VolumeSpecs.SplitCsv(value))
        {
            var eq = field.IndexOf('=');
            if (eq <= 0)
                throw new InvalidOptionException($"invalid field: {field}");
            var key = field[..eq].ToLowerInvariant();
            var val = field[(eq + 1)..].ToLowerInvariant();
            switch (key)
            {
                case "protocol":
                    if (val is not ("tcp" or "udp" or "sctp"))
                        throw new InvalidOptionException($"invalid protocol value '{val}'");
                    protocol = val;
                    break;
                case "mode":
                    if (val is not ("ingress" or "host"))
                        throw new InvalidOptionException($"invalid publish mode value ({val}): must be either 'ingress' or 'host'");
                    mode = val;
                    break;
                case "target":
                    target = ParsePort(val);
                    break;
                case "published":
                    published = ParsePort(val);
                    break;
                default:
                    throw new InvalidOptionException($"invalid field key: {key}");
            }
        }
        if (target == 0)
            throw new InvalidOptionException("missing mandatory field 'target'");
        return Config(protocol.Length == 0 ? "tcp" : protocol, target, published, mode.Length == 0 ? "ingress" : mode);
    }

    private static uint ParsePort(string text)
        => ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new InvalidOptionException($"strconv.ParseUint: parsing \"{text}\": {(text.All(char.IsAsciiDigit) && text.Length > 0 ? "value out of range" : "invalid syntax")}");

    public static JsonObject Config(string protocol, uint target, uint published, string mode) => new()
    {
        ["Protocol"] = protocol,
        // Stored as long so Json.Long reads them back (a JsonValue of uint does not convert).
        ["TargetPort"] = (long)target,
        ["PublishedPort"] = (long)published,
        ["PublishMode"] = mode,
    };

    /// <summary>docker's key for telling ports apart in update: "published:target/protocol/mode".</summary>
    public static string Key(JsonNode port)
        => $"{port.Long("PublishedPort")}:{port.Long("TargetPort")}/{port.Str("Protocol")}/{port.Str("PublishMode")}";

    /// <summary>
    /// The PORTS column of service ls: ingress ports sorted by protocol then published port, runs of consecutive
    /// published and target ports folded into ranges ("*:8080-8081->80-81/tcp"); ports without a published port left out.
    /// </summary>
    public static string Summary(IEnumerable<EndpointPort> ports)
    {
        var sorted = ports.Where(p => p.Mode == "ingress")
            .OrderBy(p => p.Protocol, StringComparer.Ordinal).ThenBy(p => p.Published).ToList();
        var parts = new List<string>();
        uint pStart = 0, pEnd = 0, tStart = 0, tEnd = 0;
        var protocol = "";
        foreach (var p in sorted)
        {
            var isRange = tEnd != tStart;
            var overlaps = p.Target <= tEnd;
            // Unsigned differences as Go computes them: a smaller port wraps around and starts a new range.
            if (p.Protocol != protocol || unchecked(p.Published - pEnd) > 1 || unchecked(p.Target - tEnd) > 1 || (isRange && overlaps))
            {
                if (pStart > 0)
                    parts.Add(Range(pStart, pEnd, tStart, tEnd, protocol));
                (pStart, pEnd, tStart, tEnd, protocol) = (p.Published, p.Published, p.Target, p.Target, p.Protocol);
                continue;
            }
            pEnd = p.Published;
            tEnd = p.Target;
        }
        if (pStart > 0)
            parts.Add(Range(pStart, pEnd, tStart, tEnd, protocol));
        return string.Join(", ", parts);
    }

    private static string Range(uint pStart, uint pEnd, uint tStart, uint tEnd, string protocol)
        => $"*:{(pEnd > pStart ? $"{pStart}-{pEnd}" : $"{pStart}")}->{(tEnd > tStart ? $"{tStart}-{tEnd}" : $"{tStart}")}/{protocol}";
}

/// <summary>One published port as the list tables show it.</summary>
public readonly record struct EndpointPort(uint Published, uint Target, string Protocol, string Mode);
