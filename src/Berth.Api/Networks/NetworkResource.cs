using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>A network as returned by GET /networks and GET /networks/{id}.</summary>
public sealed class NetworkResource
{
    public string Name { get; set; } = "";

    public string Id { get; set; } = "";

    /// <summary>RFC 3339 nano.</summary>
    public string Created { get; set; } = ApiTime.Zero;

    /// <summary>"local", "global" or "swarm".</summary>
    public string Scope { get; set; } = "local";

    public string Driver { get; set; } = "";

    /// <summary>API 1.47+. Null (omitted) keeps the 1.41 shape for older clients.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnableIPv4 { get; set; }

    public bool EnableIPv6 { get; set; }

    public Ipam IPAM { get; set; } = new();

    public bool Internal { get; set; }

    public bool Attachable { get; set; }

    public bool Ingress { get; set; }

    public ConfigReference ConfigFrom { get; set; } = new();

    public bool ConfigOnly { get; set; }

    /// <summary>Container ID → endpoint; {} in inspect when empty; the list endpoint leaves it out in Docker 28 but 20.10 emits {}.</summary>
    public Dictionary<string, NetworkContainer>? Containers { get; set; } = [];

    public Dictionary<string, string>? Options { get; set; } = [];

    public Dictionary<string, string>? Labels { get; set; } = [];
}

public sealed class Ipam
{
    public string Driver { get; set; } = "default";

    public Dictionary<string, string>? Options { get; set; }

    public List<IpamConfig>? Config { get; set; } = [];
}

/// <summary>One pool of a network. Every field is omitempty.</summary>
public sealed class IpamConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subnet { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IPRange { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Gateway { get; set; }

    [JsonPropertyName("AuxiliaryAddresses")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? AuxiliaryAddresses { get; set; }
}

public sealed class ConfigReference
{
    public string Network { get; set; } = "";
}

/// <summary>A container's endpoint as listed in a network's "Containers".</summary>
public sealed class NetworkContainer
{
    public string Name { get; set; } = "";

    public string EndpointID { get; set; } = "";

    public string MacAddress { get; set; } = "";

    /// <summary>CIDR form: "172.17.0.2/16".</summary>
    public string IPv4Address { get; set; } = "";

    public string IPv6Address { get; set; } = "";
}
