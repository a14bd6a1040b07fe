using System.Net;

namespace Berth.Engine.Networks.Netlink;

/// <summary>A route of some table; <see cref="PrefixLength"/> 0 is a default route.</summary>
public sealed record RouteInfo(IPAddress Destination, int PrefixLength, IPAddress? Gateway, int OutputInterfaceIndex, int Table)
{
    public const int MainTable = 254;
    public const int LocalTable = 255;
}
