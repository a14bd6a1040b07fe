using System.Net;

namespace Berth.Engine.Networks.Ports;

/// <summary>
/// One host binding to make for a container port. <see cref="HostIp"/> null means every address (0.0.0.0 and ::);
/// a host port range of 0-0 means an ephemeral port, and a wider range any free port of it.
/// </summary>
public sealed record PortBindingRequest(ContainerPort ContainerPort, IPAddress? HostIp, int HostPortStart, int HostPortEnd)
{
    public bool IsEphemeral => HostPortStart == 0;

    public string HostPortText => HostPortStart == 0 ? "" : HostPortStart == HostPortEnd ? $"{HostPortStart}" : $"{HostPortStart}-{HostPortEnd}";
}
