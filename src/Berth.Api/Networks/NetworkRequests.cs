using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>Body of POST /networks/create.</summary>
public sealed class NetworkCreateRequest
{
    public string Name { get; set; } = "";

    /// <summary>Deprecated (always true since 1.44); accepted from older clients.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? CheckDuplicate { get; set; }

    public string Driver { get; set; } = "";

    public string Scope { get; set; } = "";

    public bool? EnableIPv4 { get; set; }

    public bool? EnableIPv6 { get; set; }

    public Ipam? IPAM { get; set; }

    public bool Internal { get; set; }

    public bool Attachable { get; set; }

    public bool Ingress { get; set; }

    public bool ConfigOnly { get; set; }

    public ConfigReference? ConfigFrom { get; set; }

    public Dictionary<string, string>? Options { get; set; }

    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary>Reply of POST /networks/create: {"Id": "...", "Warning": ""}.</summary>
public sealed class NetworkCreateResponse
{
    public string Id { get; set; } = "";

    public string Warning { get; set; } = "";
}

/// <summary>Body of POST /networks/{id}/connect.</summary>
public sealed class NetworkConnectRequest
{
    public string Container { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EndpointSettings? EndpointConfig { get; set; }
}

/// <summary>Body of POST /networks/{id}/disconnect.</summary>
public sealed class NetworkDisconnectRequest
{
    public string Container { get; set; } = "";

    public bool Force { get; set; }
}

/// <summary>Reply of POST /networks/prune.</summary>
public sealed class NetworkPruneResponse
{
    public List<string>? NetworksDeleted { get; set; }
}
