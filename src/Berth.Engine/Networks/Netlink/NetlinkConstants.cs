namespace Berth.Engine.Networks.Netlink;

/// <summary>Numbers from linux/netlink.h, linux/rtnetlink.h, linux/if_link.h and linux/if_addr.h.</summary>
internal static class Nl
{
    // nlmsghdr types
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_DELROUTE = 25;
    public const ushort RTM_GETROUTE = 26;
    public const ushort RTM_NEWNEIGH = 28;
    public const ushort RTM_DELNEIGH = 29;
    public const ushort RTM_GETNEIGH = 30;

    // nlmsghdr flags
    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;
    public const ushort NLM_F_APPEND = 0x800;

    // extended ack attributes
    public const ushort NLMSGERR_ATTR_MSG = 1;
    public const ushort NLM_F_ACK_TLVS = 0x200;
    public const ushort NLM_F_CAPPED = 0x100;

    // address families
    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_BRIDGE = 7;
    public const byte AF_INET6 = 10;

    // ifinfomsg flags
    public const uint IFF_UP = 0x1;
    public const uint IFF_LOOPBACK = 0x8;

    // link attributes
    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_LINK = 5;
    public const ushort IFLA_MASTER = 10;
    public const ushort IFLA_OPERSTATE = 16;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_IFALIAS = 20;
    public const ushort IFLA_NET_NS_FD = 28;
    public const ushort IFLA_LINK_NETNSID = 37;
    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;
    public const ushort IFLA_INFO_SLAVE_KIND = 4;
    public const ushort IFLA_INFO_SLAVE_DATA = 5;

    // linux/if_link.h: IFLA_BRPORT_*, a bridge port's settings
    public const ushort IFLA_BRPORT_ISOLATED = 33;
    public const ushort VETH_INFO_PEER = 1;

    // linux/if_link.h: IFLA_VXLAN_*
    public const ushort IFLA_VXLAN_ID = 1;
    public const ushort IFLA_VXLAN_LEARNING = 7;
    public const ushort IFLA_VXLAN_PORT = 15;

    // linux/neighbour.h
    public const ushort NDA_DST = 1;
    public const ushort NDA_LLADDR = 2;
    public const ushort NUD_NOARP = 0x40;
    public const ushort NUD_PERMANENT = 0x80;
    public const byte NTF_SELF = 0x02;

    // address attributes
    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_LABEL = 3;
    public const ushort IFA_BROADCAST = 4;
    public const byte IFA_F_NODAD = 0x02;

    // route attributes and values
    public const ushort RTA_DST = 1;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const ushort RTA_PRIORITY = 6;
    public const ushort RTA_PREFSRC = 7;
    public const ushort RTA_TABLE = 15;
    public const byte RT_TABLE_MAIN = 254;
    public const byte RTPROT_BOOT = 3;
    public const byte RT_SCOPE_UNIVERSE = 0;
    public const byte RT_SCOPE_LINK = 253;
    public const byte RT_SCOPE_HOST = 254;
    public const byte RTN_UNICAST = 1;

    /// <summary>Netlink message names for error texts ("netlink: RTM_NEWLINK berth0: File exists").</summary>
    public static string Name(ushort type) => type switch
    {
        RTM_NEWLINK => "RTM_NEWLINK",
        RTM_DELLINK => "RTM_DELLINK",
        RTM_GETLINK => "RTM_GETLINK",
        RTM_NEWADDR => "RTM_NEWADDR",
        RTM_DELADDR => "RTM_DELADDR",
        RTM_GETADDR => "RTM_GETADDR",
        RTM_NEWROUTE => "RTM_NEWROUTE",
        RTM_DELROUTE => "RTM_DELROUTE",
        RTM_GETROUTE => "RTM_GETROUTE",
        RTM_NEWNEIGH => "RTM_NEWNEIGH",
        RTM_DELNEIGH => "RTM_DELNEIGH",
        RTM_GETNEIGH => "RTM_GETNEIGH",
        _ => "netlink message " + type,
    };
}
