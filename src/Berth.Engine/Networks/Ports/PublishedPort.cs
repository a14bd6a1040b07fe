using System.Net;

namespace Berth.Engine.Networks.Ports;

/// <summary>A container port reachable on a host address and port (one entry of NetworkSettings.Ports).</summary>
public sealed record PublishedPort(ContainerPort ContainerPort, IPAddress HostIp, int HostPort);
