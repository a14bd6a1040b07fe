namespace Berth.Api;

/// <summary>
/// Body of POST /containers/create: Docker's body is flat, the Config fields at the top level plus "HostConfig"
/// and "NetworkingConfig".
/// </summary>
public sealed class ContainerCreateRequest : ContainerConfig
{
    public HostConfig? HostConfig { get; set; }

    public NetworkingConfig? NetworkingConfig { get; set; }
}

/// <summary>Reply of POST /containers/create: {"Id": "...", "Warnings": []}.</summary>
public sealed class ContainerCreateResponse
{
    public string Id { get; set; } = "";

    public List<string> Warnings { get; set; } = [];
}
