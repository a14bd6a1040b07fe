using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// A container's attachment to one network: in the create body (NetworkingConfig.EndpointsConfig), in
/// NetworkSettings.Networks of inspect and ps, and in POST /networks/{id}/connect. All fields always emitted.
/// </summary>
public sealed class EndpointSettings
{
    public EndpointIpamConfig? IPAMConfig { get; set; }

    public List<string>? Links { get; set; }

    public List<string>? Aliases { get; set; }

    /// <summary>API 1.44+: the MAC address to use (create) / in use (inspect).</summary>
    public string MacAddress { get; set; } = "";

    public Dictionary<string, string>? DriverOpts { get; set; }

    /// <summary>API 1.48+: priority of this network's gateway as the container's default route.</summary>
    public int GwPriority { get; set; }

    public string NetworkID { get; set; } = "";

    public string EndpointID { get; set; } = "";

    public string Gateway { get; set; } = "";

    public string IPAddress { get; set; } = "";

    public int IPPrefixLen { get; set; }

    public string IPv6Gateway { get; set; } = "";

    public string GlobalIPv6Address { get; set; } = "";

    public int GlobalIPv6PrefixLen { get; set; }

    /// <summary>API 1.44+: names the embedded DNS resolves to this endpoint.</summary>
    public List<string>? DNSNames { get; set; }
}

/// <summary>Static addresses requested for an endpoint (--ip, --ip6, --link-local-ip).</summary>
public sealed class EndpointIpamConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IPv4Address { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IPv6Address { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? LinkLocalIPs { get; set; }
}

/// <summary>The create body's "NetworkingConfig": network name → endpoint settings.</summary>
public sealed class NetworkingConfig
{
    public Dictionary<string, EndpointSettings?>? EndpointsConfig { get; set; }
}
