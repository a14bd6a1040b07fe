using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Netlink;

public sealed partial class Rtnetlink
{
    /// <summary>Adds an address (with its IPv4 broadcast, as `ip addr add ... brd +` would) to a link.</summary>
    public void AddAddress(string link, IPAddress address, int prefixLength) =>
        AddAddress(GetLink(link).Index, address, prefixLength, $"{address}/{prefixLength} on {link}");

    public void AddAddress(int linkIndex, IPAddress address, int prefixLength) =>
        AddAddress(linkIndex, address, prefixLength, $"{address}/{prefixLength} on link {linkIndex}");

    /// <summary>Removes an address from a link; false when it was not there.</summary>
    public bool TryDeleteAddress(string link, IPAddress address, int prefixLength)
    {
        var request = AddressRequest(Nl.RTM_DELADDR, Change, GetLink(link).Index, address, prefixLength);
        return Execute(request, $"{address}/{prefixLength} on {link}", Errno.EADDRNOTAVAIL) == 0;
    }

    /// <summary>Every address of the namespace, or of one family (InterNetwork, InterNetworkV6).</summary>
    public IReadOnlyList<AddressInfo> ListAddresses(AddressFamily? family = null)
    {
        var request = new NetlinkRequest(Nl.RTM_GETADDR, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP);
        request.Write(new IfAddrMsg { Family = ToNetlinkFamily(family) });
        var addresses = new List<AddressInfo>();
        foreach (byte[] reply in Dump(request, "addresses"))
        {
            if (reply.Length < 8) continue;
            var header = MemoryMarshal.Read<IfAddrMsg>(reply);
            IPAddress? local = null, peer = null;
            foreach (var (type, value) in new NetlinkAttributes(reply.AsSpan(8)))
            {
                if (type == Nl.IFA_LOCAL) local = new IPAddress(value);
                else if (type == Nl.IFA_ADDRESS) peer = new IPAddress(value);
            }
            // IFA_LOCAL is the interface's own address; IFA_ADDRESS differs from it only on point-to-point links.
            if ((local ?? peer) is { } address) addresses.Add(new AddressInfo(header.Index, address, header.PrefixLength));
        }
        return addresses;
    }

    private void AddAddress(int linkIndex, IPAddress address, int prefixLength, string subject)
    {
        var request = AddressRequest(Nl.RTM_NEWADDR, Create, linkIndex, address, prefixLength);
        if (address.AddressFamily == AddressFamily.InterNetwork && prefixLength < 31)
            request.AddBytes(Nl.IFA_BROADCAST, Broadcast(address, prefixLength));
        Execute(request, subject);
    }

    private static NetlinkRequest AddressRequest(ushort type, ushort flags, int linkIndex, IPAddress address, int prefixLength)
    {
        var request = new NetlinkRequest(type, flags);
        request.Write(new IfAddrMsg
        {
            Family = ToNetlinkFamily(address.AddressFamily),
            PrefixLength = (byte)prefixLength,
            // IPv6: usable at once, as dockerd's addresses are; duplicate detection would hold them tentative for a second.
            Flags = address.AddressFamily == AddressFamily.InterNetworkV6 ? Nl.IFA_F_NODAD : (byte)0,
            Index = linkIndex,
        });
        byte[] bytes = address.GetAddressBytes();
        request.AddBytes(Nl.IFA_LOCAL, bytes);
        request.AddBytes(Nl.IFA_ADDRESS, bytes);
        return request;
    }

    private static byte[] Broadcast(IPAddress address, int prefixLength)
    {
        byte[] bytes = address.GetAddressBytes();
        uint value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        value |= prefixLength == 0 ? uint.MaxValue : (1u << (32 - prefixLength)) - 1;
        return [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
    }

    private static byte ToNetlinkFamily(AddressFamily? family) => family switch
    {
        null => Nl.AF_UNSPEC,
        AddressFamily.InterNetwork => Nl.AF_INET,
        AddressFamily.InterNetworkV6 => Nl.AF_INET6,
        _ => throw BerthException.Invalid($"unsupported address family {family}"),
    };
}
