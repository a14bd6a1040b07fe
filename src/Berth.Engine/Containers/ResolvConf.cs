using Berth.Api;

namespace Berth.Engine.Containers;

/// <summary>
/// A container's resolv.conf as Docker makes it: the host's, without loopback name servers (unreachable from the
/// container's own network namespace), falling back to public resolvers, with --dns/--dns-search/--dns-option applied,
/// or where the container sets none of one kind, the daemon's (daemon.json dns, dns-search, dns-opts).
/// </summary>
public static class ResolvConf
{
    private static readonly string[] FallbackServers = ["8.8.8.8", "8.8.4.4"];

    public static string For(HostConfig host, DnsDefaults daemon)
    {
        var hostLines = File.Exists("/etc/resolv.conf") ? File.ReadAllLines("/etc/resolv.conf") : [];
        var servers = host.Dns is { Count: > 0 } dns ? dns : daemon.Servers.Count > 0 ? [.. daemon.Servers] : hostLines
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("nameserver", StringComparison.Ordinal))
            .Select(l => l["nameserver".Length..].Trim())
            .Where(s => !s.StartsWith("127.", StringComparison.Ordinal) && s != "::1")
            .ToList();
        if (servers.Count == 0) servers = [.. FallbackServers];
        var search = host.DnsSearch is { Count: > 0 } s ? s : daemon.Search.Count > 0 ? [.. daemon.Search] : hostLines
            .Where(l => l.StartsWith("search", StringComparison.Ordinal))
            .SelectMany(l => l["search".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        var options = host.DnsOptions is { Count: > 0 } o ? o : daemon.Options.Count > 0 ? [.. daemon.Options] : hostLines
            .Where(l => l.StartsWith("options", StringComparison.Ordinal))
            .SelectMany(l => l["options".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        var lines = new List<string>();
        if (search.Count > 0) lines.Add("search " + string.Join(' ', search));
        lines.AddRange(servers.Select(server => "nameserver " + server));
        if (options.Count > 0) lines.Add("options " + string.Join(' ', options));
        return string.Join('\n', lines) + "\n";
    }
}
