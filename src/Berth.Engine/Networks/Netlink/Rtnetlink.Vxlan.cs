using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Engine.Networks.Netlink;

public sealed partial class Rtnetlink
{
    /// <summary>
    /// Creates a VXLAN device carrying <paramref name="vni"/> on UDP <paramref name="port"/>, attached to a bridge
    /// (<paramref name="masterIndex"/>). It learns where remote MAC addresses live from the traffic it receives, so the
    /// forwarding database needs only one all-zero entry per peer for floods (see <see cref="AppendFloodPeer"/>).
    /// </summary>
    public void CreateVxlan(string name, int vni, int port, int mtu, int masterIndex)
    {
        var request = new NetlinkRequest(Nl.RTM_NEWLINK, Create);
        request.Write(new IfInfoMsg { Family = Nl.AF_UNSPEC });
        request.AddString(Nl.IFLA_IFNAME, name);
        if (mtu > 0) request.AddUInt32(Nl.IFLA_MTU, (uint)mtu);
        if (masterIndex > 0) request.AddUInt32(Nl.IFLA_MASTER, (uint)masterIndex);
        int linkInfo = request.BeginNested(Nl.IFLA_LINKINFO);
        request.AddString(Nl.IFLA_INFO_KIND, "vxlan");
        int data = request.BeginNested(Nl.IFLA_INFO_DATA);
        request.AddUInt32(Nl.IFLA_VXLAN_ID, (uint)vni);
        request.AddBytes(Nl.IFLA_VXLAN_LEARNING, [1]);
        Span<byte> portBytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(portBytes, (ushort)port); // the kernel wants the port in network order
        request.AddBytes(Nl.IFLA_VXLAN_PORT, portBytes);
        request.EndNested(data);
        request.EndNested(linkInfo);
        Execute(request, name);
    }

    /// <summary>Adds the all-zero forwarding entry that sends a VXLAN device's broadcasts and unknown destinations to <paramref name="peer"/> too.</summary>
    public void AppendFloodPeer(string device, IPAddress peer) =>
        Execute(FloodEntry(Nl.RTM_NEWNEIGH, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_APPEND, device, peer),
            $"{device} flood to {peer}", Errno.EEXIST);

    public void DeleteFloodPeer(string device, IPAddress peer) =>
        Execute(FloodEntry(Nl.RTM_DELNEIGH, Change, device, peer), $"{device} flood to {peer}", Errno.ENOENT);

    /// <summary>The peers a VXLAN device floods to: the destinations of its all-zero forwarding entries.</summary>
    public IReadOnlyList<IPAddress> ListFloodPeers(string device)
    {
        int index = GetLink(device).Index;
        var request = new NetlinkRequest(Nl.RTM_GETNEIGH, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP);
        request.Write(new NdMsg { Family = Nl.AF_BRIDGE, Index = index });
        var peers = new List<IPAddress>();
        int headerSize = Marshal.SizeOf<NdMsg>();
        foreach (byte[] reply in Dump(request, device))
        {
            if (reply.Length < headerSize || MemoryMarshal.Read<NdMsg>(reply).Index != index) continue;
            IPAddress? destination = null;
            bool zeroMac = false;
            foreach (var (type, value) in new NetlinkAttributes(reply.AsSpan(headerSize)))
            {
                if (type == Nl.NDA_LLADDR) zeroMac = value.Length == 6 && value.IndexOfAnyExcept((byte)0) < 0;
                else if (type == Nl.NDA_DST && value.Length == 4) destination = new IPAddress(value);
            }
            if (zeroMac && destination is not null) peers.Add(destination);
        }
        return peers;
    }

    private NetlinkRequest FloodEntry(ushort type, ushort flags, string device, IPAddress peer)
    {
        if (peer.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException($"VXLAN peer {peer} is not an IPv4 address", nameof(peer));
        var request = new NetlinkRequest(type, flags);
        request.Write(new NdMsg
        {
            Family = Nl.AF_BRIDGE, Index = GetLink(device).Index, State = Nl.NUD_PERMANENT | Nl.NUD_NOARP, Flags = Nl.NTF_SELF,
        });
        request.AddBytes(Nl.NDA_LLADDR, stackalloc byte[6]);
        request.AddBytes(Nl.NDA_DST, peer.GetAddressBytes());
        return request;
    }
}
