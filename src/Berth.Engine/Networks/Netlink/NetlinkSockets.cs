using System.ComponentModel;
using System.Runtime.InteropServices;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Netlink;

/// <summary>What the rtnetlink and nf_tables sockets share: how one is opened, and how a kernel error reads.</summary>
internal static unsafe class NetlinkSockets
{
    /// <summary>
    /// Opens and binds a netlink socket of <paramref name="protocol"/> with extended acks (the kernel's own explanation
    /// of EINVAL and friends; best effort on old kernels), receive (and, when given, send) buffers of the sizes asked,
    /// and a 10 s receive timeout: the kernel answers at once, and a bound wait turns a lost reply into an error
    /// instead of a hang. <paramref name="capAck"/> makes error acks carry only the failed message's header.
    /// </summary>
    public static int Open(int protocol, string protocolName, int receiveBuffer, int sendBuffer = 0, bool capAck = false)
    {
        int fd = NetlinkLibC.Socket(NetlinkLibC.AF_NETLINK, NetlinkLibC.SOCK_RAW | NetlinkLibC.SOCK_CLOEXEC, protocol);
        if (fd < 0) throw Failure($"netlink: socket({protocolName})", Marshal.GetLastPInvokeError(), null);
        try
        {
            var address = new NetlinkLibC.SockaddrNl { Family = NetlinkLibC.AF_NETLINK };
            if (NetlinkLibC.Bind(fd, &address, sizeof(NetlinkLibC.SockaddrNl)) != 0)
                throw Failure($"netlink: bind({protocolName})", Marshal.GetLastPInvokeError(), null);
            int one = 1;
            if (capAck) NetlinkLibC.SetSockOpt(fd, NetlinkLibC.SOL_NETLINK, NetlinkLibC.NETLINK_CAP_ACK, &one, sizeof(int));
            NetlinkLibC.SetSockOpt(fd, NetlinkLibC.SOL_NETLINK, NetlinkLibC.NETLINK_EXT_ACK, &one, sizeof(int));
            if (sendBuffer > 0) NetlinkLibC.SetSockOpt(fd, NetlinkLibC.SOL_SOCKET, NetlinkLibC.SO_SNDBUF, &sendBuffer, sizeof(int));
            NetlinkLibC.SetSockOpt(fd, NetlinkLibC.SOL_SOCKET, NetlinkLibC.SO_RCVBUF, &receiveBuffer, sizeof(int));
            var timeout = new NetlinkLibC.Timeval { Seconds = 10 };
            NetlinkLibC.SetSockOpt(fd, NetlinkLibC.SOL_SOCKET, NetlinkLibC.SO_RCVTIMEO, &timeout, sizeof(NetlinkLibC.Timeval));
            return fd;
        }
        catch
        {
            NetlinkLibC.Close(fd);
            throw;
        }
    }

    /// <summary>The kernel's own explanation attached to an error ack (extended acks), null when it gave none.</summary>
    public static string? ExtendedAckMessage(ushort flags, ReadOnlySpan<byte> payload)
    {
        if ((flags & Nl.NLM_F_ACK_TLVS) == 0 || payload.Length < 20) return null;
        // nlmsgerr = error + the original header, plus the original payload unless the kernel capped it.
        int offset = 4 + ((flags & Nl.NLM_F_CAPPED) != 0 ? 16 : NetlinkRequest.Align((int)MemoryMarshal.Read<uint>(payload[4..])));
        if (offset >= payload.Length) return null;
        foreach (var (type, value) in new NetlinkAttributes(payload[offset..]))
            if (type == Nl.NLMSGERR_ATTR_MSG) return NetlinkAttributes.ReadString(value);
        return null;
    }

    /// <summary>A kernel error as Berth's error vocabulary, the errno kept as the inner exception.</summary>
    public static BerthException Failure(string prefix, int errno, string? detail)
    {
        string text = Marshal.GetPInvokeErrorMessage(errno);
        string message = detail is { Length: > 0 } ? $"{prefix}: {text} ({detail})" : $"{prefix}: {text}";
        var kind = errno switch
        {
            17 /* EEXIST */ => ErrorKind.Conflict,
            2 or 3 or 19 /* ENOENT ESRCH ENODEV */ => ErrorKind.NotFound,
            1 or 13 /* EPERM EACCES */ => ErrorKind.Forbidden,
            _ => ErrorKind.Internal,
        };
        return new BerthException(kind, message, new Win32Exception(errno));
    }
}
