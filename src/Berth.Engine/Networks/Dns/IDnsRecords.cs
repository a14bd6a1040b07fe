using System.Net;

namespace Berth.Engine.Networks.Dns;

/// <summary>
/// What one container may resolve through the embedded DNS: the names (container names, aliases, hostnames, links)
/// of the networks it is attached to. The daemon implements it over its live state; it is called for every query.
/// </summary>
public interface IDnsRecords
{
    /// <summary>
    /// IPv4 and IPv6 addresses of a name (lowercase, no trailing dot); several for an alias shared by several containers.
    /// Null when the name is not one of the container's networks', so the query goes to the host's resolvers.
    /// </summary>
    IReadOnlyList<IPAddress>? Lookup(string name);

    /// <summary>The name (e.g. "web.mynet") for a reverse lookup of an address on the container's networks, or null.</summary>
    string? ReverseLookup(IPAddress address);
}
