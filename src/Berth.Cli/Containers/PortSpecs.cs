using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Cli.Containers;

/// <summary>
/// docker's <c>-p [ip:[hostPort]:]containerPort[/proto]</c> and <c>--expose port[-port][/proto]</c>, into
/// ExposedPorts and HostConfig.PortBindings (keys sorted as Go marshals maps).
/// </summary>
public sealed class PortSpecs
{
    private readonly SortedDictionary<string, List<(string Ip, string Port)>> _bindings = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _exposed = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Exposed => _exposed;

    public void AddPublish(string spec)
    {
        var (raw, proto) = SplitProto(spec);
        var parts = raw.Split(':');
        var n = parts.Length;
        var containerPart = parts[n - 1];
        var hostPart = n >= 2 ? parts[n - 2] : "";
        var ip = n switch
        {
            1 or 2 => "",
            3 => parts[0],
            _ => string.Join(':', parts[..(n - 2)]),
        };
        if (ip.StartsWith('[') && ip.EndsWith(']'))
            ip = ip[1..^1];
        if (ip.Length > 0 && !System.Net.IPAddress.TryParse(ip, out _))
            throw new InvalidOptionException($"invalid IP address: {ip}");
        if (containerPart.Length == 0)
            throw new InvalidOptionException($"no port specified: {spec}<empty>");
        var (start, end) = ParseRange(containerPart, "containerPort");
        int hostStart = 0, hostEnd = 0;
        if (hostPart.Length > 0)
            (hostStart, hostEnd) = ParseRange(hostPart, "hostPort");
        if (hostPart.Length > 0 && end - start != hostEnd - hostStart && end != start)
            throw new InvalidOptionException($"invalid ranges specified for container and host Ports: {containerPart} and {hostPart}");
        for (var port = start; port <= end; port++)
        {
            string hostPort;
            if (hostPart.Length == 0)
                hostPort = "";
            else if (start == end && hostEnd != hostStart)
                hostPort = $"{hostStart}-{hostEnd}";
            else
                hostPort = (hostStart + (port - start)).ToString(CultureInfo.InvariantCulture);
            var key = $"{port}/{proto}";
            _exposed.Add(key);
            if (!_bindings.TryGetValue(key, out var list))
                _bindings[key] = list = [];
            list.Add((ip, hostPort));
        }
    }

    public void AddExpose(string spec)
    {
        var (raw, proto) = SplitProto(spec);
        if (raw.Contains(':'))
            throw new InvalidOptionException($"invalid port format for --expose: {spec}");
        var (start, end) = ParseRange(raw, "range");
        for (var port = start; port <= end; port++)
            _exposed.Add($"{port}/{proto}");
    }

    public JsonObject BindingsJson()
    {
        var result = new JsonObject();
        foreach (var (key, list) in _bindings)
        {
            var array = new JsonArray();
            foreach (var (ip, port) in list)
                array.Add((JsonNode)new JsonObject { ["HostIp"] = ip, ["HostPort"] = port });
            result[key] = array;
        }
        return result;
    }

    private static (string Raw, string Proto) SplitProto(string spec)
    {
        var slash = spec.LastIndexOf('/');
        if (slash < 0)
            return (spec, "tcp");
        var proto = spec[(slash + 1)..].ToLowerInvariant();
        if (proto.Length == 0)
            proto = "tcp";
        if (proto is not ("tcp" or "udp" or "sctp"))
            throw new InvalidOptionException($"invalid proto: {proto}");
        return (spec[..slash], proto);
    }

    private static (int Start, int End) ParseRange(string text, string what)
    {
        var dash = text.IndexOf('-');
        var startText = dash >= 0 ? text[..dash] : text;
        var endText = dash >= 0 ? text[(dash + 1)..] : text;
        if (!TryPort(startText, out var start) || !TryPort(endText, out var end))
            throw new InvalidOptionException(what == "range" ? $"invalid range format for --expose: {text}" : $"invalid {what}: {text}");
        if (end < start)
            throw new InvalidOptionException($"invalid range specified for {what}: {text}");
        return (start, end);
    }

    private static bool TryPort(string text, out int port)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;
}
