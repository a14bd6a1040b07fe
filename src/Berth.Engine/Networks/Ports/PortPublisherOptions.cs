namespace Berth.Engine.Networks.Ports;

/// <summary>Knobs of the userland proxy.</summary>
public sealed class PortPublisherOptions
{
    /// <summary>How long a UDP flow lives without traffic (docker-proxy: 90 s).</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromSeconds(90);
}
