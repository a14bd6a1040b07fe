using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Engine.Networks.Netlink;

public sealed partial class Rtnetlink
{
    /// <summary>Adds a route to the main table: via a gateway, or directly on a link when <paramref name="gateway"/> is null.</summary>
    public void AddRoute(IPAddress destination, int prefixLength, IPAddress? gateway, string? link)
    {
        var request = new NetlinkRequest(Nl.RTM_NEWROUTE, Create);
        request.Write(new RtMsg
        {
            Family = ToNetlinkFamily(destination.AddressFamily),
            DestinationLength = (byte)prefixLength,
            Table = Nl.RT_TABLE_MAIN,
            Protocol = Nl.RTPROT_BOOT,
            Scope = gateway is null ? Nl.RT_SCOPE_LINK : Nl.RT_SCOPE_UNIVERSE,
            Type = Nl.RTN_UNICAST,
        });
        if (prefixLength > 0) request.AddBytes(Nl.RTA_DST, destination.GetAddressBytes());
        if (gateway is not null) request.AddBytes(Nl.RTA_GATEWAY, gateway.GetAddressBytes());
        if (link is not null) request.AddUInt32(Nl.RTA_OIF, (uint)GetLink(link).Index);
        Execute(request, $"{destination}/{prefixLength}" + (gateway is null ? "" : $" via {gateway}") + (link is null ? "" : $" dev {link}"));
    }

    /// <summary>The default route of a container: 0.0.0.0/0 via its network's gateway.</summary>
    public void AddDefaultRoute(IPAddress gateway, string? link = null) =>
        AddRoute(gateway.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0, gateway, link);

    /// <summary>Routes of every table (see <see cref="RouteInfo.Table"/>) of one address family.</summary>
    public IReadOnlyList<RouteInfo> ListRoutes(AddressFamily family = AddressFamily.InterNetwork)
    {
        var request = new NetlinkRequest(Nl.RTM_GETROUTE, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP);
        request.Write(new RtMsg { Family = ToNetlinkFamily(family) });
        var routes = new List<RouteInfo>();
        IPAddress any = family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
        foreach (byte[] reply in Dump(request, "routes"))
        {
            if (reply.Length < 12) continue;
            var header = MemoryMarshal.Read<RtMsg>(reply);
            IPAddress destination = any;
            IPAddress? gateway = null;
            int outputIndex = 0, table = header.Table;
            foreach (var (type, value) in new NetlinkAttributes(reply.AsSpan(12)))
            {
                switch (type)
                {
                    case Nl.RTA_DST: destination = new IPAddress(value); break;
                    case Nl.RTA_GATEWAY: gateway = new IPAddress(value); break;
                    case Nl.RTA_OIF: outputIndex = (int)NetlinkAttributes.ReadUInt32(value); break;
                    case Nl.RTA_TABLE: table = (int)NetlinkAttributes.ReadUInt32(value); break;
                }
            }
            routes.Add(new RouteInfo(destination, header.DestinationLength, gateway, outputIndex, table));
        }
        return routes;
    }
}
