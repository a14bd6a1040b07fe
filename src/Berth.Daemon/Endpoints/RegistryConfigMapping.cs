using System.Net;
using Berth.Api;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// Info's RegistryConfig from the daemon's registry-mirrors and insecure-registries, as dockerd 28 reports them: the
/// loopback ranges are always insecure, host entries become index configs, mirrors are shown as "scheme://host/".
/// </summary>
public static class RegistryConfigMapping
{
    private static readonly string[] AlwaysInsecure = ["::1/128", "127.0.0.0/8"];

    public static RegistryServiceConfig From(IReadOnlyList<string> mirrors, IReadOnlyList<string> insecureRegistries)
    {
        var shownMirrors = mirrors.Select(NormalizeMirror).ToList();
        var cidrs = new List<string>();
        var indexes = new Dictionary<string, IndexInfo>(StringComparer.Ordinal);
        foreach (string entry in insecureRegistries.Concat(AlwaysInsecure))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                string text = network.ToString();
                if (!cidrs.Contains(text)) cidrs.Add(text);
            }
            else
            {
                string host = entry.Contains("://", StringComparison.Ordinal) ? entry[(entry.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/') : entry;
                indexes[host] = new IndexInfo { Name = host, Mirrors = [], Secure = false, Official = false };
            }
        }
        indexes["docker.io"] = new IndexInfo { Name = "docker.io", Mirrors = shownMirrors, Secure = true, Official = true };
        return new RegistryServiceConfig
        {
            InsecureRegistryCIDRs = cidrs,
            IndexConfigs = indexes.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            Mirrors = shownMirrors,
        };
    }

    private static string NormalizeMirror(string mirror) =>
        Uri.TryCreate(mirror, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/" : mirror;
}
