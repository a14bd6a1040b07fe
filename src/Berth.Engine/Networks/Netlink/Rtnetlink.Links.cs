using System.Runtime.InteropServices;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Netlink;

public sealed partial class Rtnetlink
{
    private const ushort Create = Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL;
    private const ushort Change = Nl.NLM_F_REQUEST | Nl.NLM_F_ACK;

    /// <summary>Creates a bridge device; <paramref name="mac"/> pins its address so attaching ports never changes it.</summary>
    public void CreateBridge(string name, MacAddress? mac = null, int mtu = 0)
    {
        var request = new NetlinkRequest(Nl.RTM_NEWLINK, Create);
        request.Write(new IfInfoMsg { Family = Nl.AF_UNSPEC });
        request.AddString(Nl.IFLA_IFNAME, name);
        if (mtu > 0) request.AddUInt32(Nl.IFLA_MTU, (uint)mtu);
        if (mac is { } address) AddMac(request, address);
        int linkInfo = request.BeginNested(Nl.IFLA_LINKINFO);
        request.AddString(Nl.IFLA_INFO_KIND, "bridge");
        request.EndNested(linkInfo);
        Execute(request, name);
    }

    /// <summary>Creates both ends of a veth pair in one request (see <see cref="VethPair"/>).</summary>
    public void CreateVethPair(VethPair pair)
    {
        if (pair.PeerUp && pair.PeerNamespace is not null)
            throw BerthException.Invalid($"veth {pair.Name}: a peer created in another namespace must be brought up from inside it");
        var request = new NetlinkRequest(Nl.RTM_NEWLINK, Create);
        request.Write(new IfInfoMsg { Family = Nl.AF_UNSPEC, Flags = pair.Up ? Nl.IFF_UP : 0, Change = pair.Up ? Nl.IFF_UP : 0 });
        request.AddString(Nl.IFLA_IFNAME, pair.Name);
        if (pair.Mtu > 0) request.AddUInt32(Nl.IFLA_MTU, (uint)pair.Mtu);
        if (pair.MasterIndex > 0) request.AddUInt32(Nl.IFLA_MASTER, (uint)pair.MasterIndex);
        int linkInfo = request.BeginNested(Nl.IFLA_LINKINFO);
        request.AddString(Nl.IFLA_INFO_KIND, "veth");
        int data = request.BeginNested(Nl.IFLA_INFO_DATA);
        int peer = request.BeginNested(Nl.VETH_INFO_PEER);
        request.Write(new IfInfoMsg { Family = Nl.AF_UNSPEC, Flags = pair.PeerUp ? Nl.IFF_UP : 0, Change = pair.PeerUp ? Nl.IFF_UP : 0 });
        request.AddString(Nl.IFLA_IFNAME, pair.PeerName);
        if (pair.Mtu > 0) request.AddUInt32(Nl.IFLA_MTU, (uint)pair.Mtu);
        if (pair.PeerMac is { } mac) AddMac(request, mac);
        bool addedRef = false;
        try
        {
            if (pair.PeerNamespace is { } ns)
            {
                ns.DangerousAddRef(ref addedRef);
                request.AddUInt32(Nl.IFLA_NET_NS_FD, (uint)ns.DangerousGetHandle());
            }
            request.EndNested(peer);
            request.EndNested(data);
            request.EndNested(linkInfo);
            Execute(request, pair.Name);
        }
        finally
        {
            if (addedRef) pair.PeerNamespace!.DangerousRelease();
        }
    }

    public void SetUp(string name) => SetFlags(name, Nl.IFF_UP, Nl.IFF_UP);

    public void SetDown(string name) => SetFlags(name, 0, Nl.IFF_UP);

    public void SetMtu(string name, int mtu) => Modify(name, r => r.AddUInt32(Nl.IFLA_MTU, (uint)mtu));

    /// <summary>Attaches a link to a bridge (master); <paramref name="master"/> null detaches it.</summary>
    public void SetMaster(string name, string? master)
    {
        int masterIndex = master is null ? 0 : GetLink(master).Index;
        Modify(name, r => r.AddUInt32(Nl.IFLA_MASTER, (uint)masterIndex));
    }

    public void SetMacAddress(string name, MacAddress mac) => Modify(name, r => AddMac(r, mac));

    /// <summary>
    /// Marks a bridge port isolated: the bridge forwards nothing between two isolated ports, while traffic to the bridge
    /// itself (the host, the gateway) and to ports not isolated passes (Linux 4.18; <c>bridge link set ... isolated on</c>).
    /// </summary>
    public void SetBridgePortIsolated(string name) => Modify(name, r =>
    {
        int linkInfo = r.BeginNested(Nl.IFLA_LINKINFO);
        r.AddString(Nl.IFLA_INFO_SLAVE_KIND, "bridge");
        int data = r.BeginNested(Nl.IFLA_INFO_SLAVE_DATA);
        r.AddBytes(Nl.IFLA_BRPORT_ISOLATED, [1]);
        r.EndNested(data);
        r.EndNested(linkInfo);
    });

    /// <summary>Sets IFLA_IFALIAS, the free-text label Berth uses to recognise its own devices.</summary>
    public void SetAlias(string name, string alias) => Modify(name, r => r.AddString(Nl.IFLA_IFALIAS, alias));

    /// <summary>Moves a link into the network namespace of an open namespace file (/proc/PID/ns/net, /run/netns/X).</summary>
    public void MoveToNamespace(string name, SafeHandle netns)
    {
        bool addedRef = false;
        try
        {
            netns.DangerousAddRef(ref addedRef);
            uint fd = (uint)netns.DangerousGetHandle();
            Modify(name, r => r.AddUInt32(Nl.IFLA_NET_NS_FD, fd));
        }
        finally
        {
            if (addedRef) netns.DangerousRelease();
        }
    }

    public void Rename(string name, string newName)
    {
        var request = new NetlinkRequest(Nl.RTM_NEWLINK, Change);
        request.Write(new IfInfoMsg { Family = Nl.AF_UNSPEC, Index = GetLink(name).Index });
        request.AddString(Nl.IFLA_IFNAME, newName);
        Execute(request, $"{name} -> {newName}");
    }

    public void DeleteLink(string name) => TryDeleteLink(name, mustExist: true);

    /// <summary>Deletes a link; false when there is no such device. Deleting a veth end deletes its peer too.</summary>
    public bool TryDeleteLink(string name) => TryDeleteLink(name, mustExist: false);

    private bool TryDeleteLink(string name, bool mustExist)
    {
        var request = new NetlinkRequest(Nl.RTM_DELLINK, Change);
        request.Write(new IfInfoMsg { Family = Nl.AF_UNSPEC });
        request.AddString(Nl.IFLA_IFNAME, name);
        return mustExist ? Execute(request, name) == 0 : Execute(request, name, Errno.ENODEV) == 0;
    }

    /// <summary>The link with this name, or null.</summary>
    public LinkInfo? FindLink(string name)
    {
        var request = new NetlinkRequest(Nl.RTM_GETLINK, Change);
        request.Write(new IfInfoMsg { Family = Nl.AF_UNSPEC });
        request.AddString(Nl.IFLA_IFNAME, name);
        byte[]? reply = Get(request, name, Errno.ENODEV);
        return reply is null ? null : ParseLink(reply);
    }

    public LinkInfo GetLink(string name) =>
        FindLink(name) ?? throw BerthException.NotFound($"network interface {name} not found");

    public IReadOnlyList<LinkInfo> ListLinks()
    {
        var request = new NetlinkRequest(Nl.RTM_GETLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP);
        request.Write(new IfInfoMsg { Family = Nl.AF_UNSPEC });
        var links = new List<LinkInfo>();
        foreach (byte[] reply in Dump(request, "links"))
            if (ParseLink(reply) is { } link) links.Add(link);
        return links;
    }

    private void SetFlags(string name, uint flags, uint change)
    {
        var request = new NetlinkRequest(Nl.RTM_NEWLINK, Change);
        request.Write(new IfInfoMsg { Family = Nl.AF_UNSPEC, Flags = flags, Change = change });
        request.AddString(Nl.IFLA_IFNAME, name);
        Execute(request, name);
    }

    private void Modify(string name, Action<NetlinkRequest> addAttributes)
    {
        var request = new NetlinkRequest(Nl.RTM_NEWLINK, Change);
        request.Write(new IfInfoMsg { Family = Nl.AF_UNSPEC });
        request.AddString(Nl.IFLA_IFNAME, name);
        addAttributes(request);
        Execute(request, name);
    }

    private static void AddMac(NetlinkRequest request, MacAddress mac)
    {
        Span<byte> bytes = stackalloc byte[6];
        mac.WriteTo(bytes);
        request.AddBytes(Nl.IFLA_ADDRESS, bytes);
    }

    private static LinkInfo? ParseLink(byte[] payload)
    {
        if (payload.Length < 16) return null;
        var header = MemoryMarshal.Read<IfInfoMsg>(payload);
        string name = "";
        string? kind = null, alias = null;
        int master = 0, mtu = 0;
        MacAddress? mac = null;
        foreach (var (type, value) in new NetlinkAttributes(payload.AsSpan(16)))
        {
            switch (type)
            {
                case Nl.IFLA_IFNAME: name = NetlinkAttributes.ReadString(value); break;
                case Nl.IFLA_MASTER: master = (int)NetlinkAttributes.ReadUInt32(value); break;
                case Nl.IFLA_MTU: mtu = (int)NetlinkAttributes.ReadUInt32(value); break;
                case Nl.IFLA_IFALIAS: alias = NetlinkAttributes.ReadString(value); break;
                case Nl.IFLA_ADDRESS when value.Length == 6: mac = MacAddress.FromBytes(value); break;
                case Nl.IFLA_LINKINFO:
                    foreach (var (infoType, infoValue) in new NetlinkAttributes(value))
                        if (infoType == Nl.IFLA_INFO_KIND) kind = NetlinkAttributes.ReadString(infoValue);
                    break;
            }
        }
        return new LinkInfo(header.Index, name, kind, master, mtu, (header.Flags & Nl.IFF_UP) != 0, mac, alias);
    }
}
