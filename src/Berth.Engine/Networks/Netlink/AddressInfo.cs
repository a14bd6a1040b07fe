using System.Net;

namespace Berth.Engine.Networks.Netlink;

/// <summary>An address on an interface: 172.18.0.1/16 on index 7.</summary>
public sealed record AddressInfo(int InterfaceIndex, IPAddress Address, int PrefixLength)
{
    public override string ToString() => $"{Address}/{PrefixLength}";
}
