namespace Berth.Api;

/// <summary>One host binding of a container port (HostConfig.PortBindings, NetworkSettings.Ports): both fields always emitted.</summary>
public sealed class PortBinding
{
    public string HostIp { get; set; } = "";

    public string HostPort { get; set; } = "";
}
