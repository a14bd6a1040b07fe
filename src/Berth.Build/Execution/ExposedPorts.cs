using Berth.Oci.Errors;

namespace Berth.Build.Execution;

/// <summary>EXPOSE's port specs: "80", "80/udp", "8000-8002/tcp"; each port becomes a "port/proto" key.</summary>
internal static class ExposedPorts
{
    public static IEnumerable<string> Parse(string spec)
    {
        string[] parts = spec.Split('/', 2);
        string protocol = parts.Length == 2 ? parts[1].ToLowerInvariant() : "tcp";
        if (protocol is not ("tcp" or "udp" or "sctp")) throw BerthException.Invalid($"invalid proto: {protocol}");
        string[] range = parts[0].Split('-', 2);
        if (!ushort.TryParse(range[0], out ushort first) || first == 0 && range[0] != "0")
            throw BerthException.Invalid($"invalid containerPort: {parts[0]}");
        ushort lastPort = first;
        if (range.Length == 2 && (!ushort.TryParse(range[1], out lastPort) || lastPort < first))
            throw BerthException.Invalid($"invalid range specified for container port: {parts[0]}");
        for (int port = first; port <= lastPort; port++) yield return $"{port}/{protocol}";
    }
}
