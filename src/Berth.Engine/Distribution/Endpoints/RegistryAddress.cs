namespace Berth.Engine.Distribution.Endpoints;

/// <summary>Server addresses as users type them for login (<c>https://host:5000/v1/</c>, <c>host:5000</c>).</summary>
public static class RegistryAddress
{
    /// <summary>The <c>host[:port]</c> part, lower-cased; empty for an empty address.</summary>
    public static string HostOf(string address)
    {
        string text = address.Trim();
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        int slash = text.IndexOf('/');
        if (slash >= 0) text = text[..slash];
        return text.ToLowerInvariant();
    }

    /// <summary>The reference domain a login address stands for: any Docker Hub spelling becomes <c>docker.io</c>.</summary>
    public static string DomainOf(string address) => DockerHub.IsHub(address) ? DockerHub.ReferenceDomain : HostOf(address);

    /// <summary>Splits <c>host:port</c> (or <c>[v6]:port</c>) into the host and the port, if any.</summary>
    public static (string Host, int? Port) Split(string hostPort)
    {
        if (hostPort.StartsWith('['))
        {
            int close = hostPort.IndexOf(']');
            if (close > 0)
            {
                string v6 = hostPort[1..close];
                return close + 1 < hostPort.Length && hostPort[close + 1] == ':' && int.TryParse(hostPort[(close + 2)..], out int p6)
                    ? (v6, p6) : (v6, null);
            }
        }
        int colon = hostPort.LastIndexOf(':');
        if (colon > 0 && hostPort.IndexOf(':') == colon && int.TryParse(hostPort[(colon + 1)..], out int port))
            return (hostPort[..colon], port);
        return (hostPort, null);
    }
}
