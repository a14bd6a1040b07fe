using System.ComponentModel;
using System.Runtime.InteropServices;
using Berth.Engine.Networks.Netlink;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Nftables;

/// <summary>
/// A NETLINK_NETFILTER socket that sends nf_tables batches. Opened per transaction: rule changes happen at daemon start
/// and network create/rm only, never on a container's start.
/// </summary>
internal sealed unsafe class NfnetlinkSocket : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;
    private readonly byte[] _receive = new byte[ReceiveBufferSize];
    private int _fd;

    private NfnetlinkSocket(int fd)
    {
        _fd = fd;
    }

    public static NfnetlinkSocket Open() =>
        new(NetlinkSockets.Open(Nft.NETLINK_NETFILTER, "NETLINK_NETFILTER", receiveBuffer: 4 << 20, sendBuffer: 4 << 20, capAck: true));

    /// <summary>
    /// Sends the batch and waits for the kernel's answer to each of its messages. The kernel applies a batch all or
    /// nothing; the first failed message's errno is thrown, or returned when it is one of <paramref name="tolerated"/>.
    /// </summary>
    public int Execute(NftBatch batch, string subject, params ReadOnlySpan<int> tolerated)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        const uint first = 1;
        byte[] bytes = batch.Encode(first);
        fixed (byte* data = bytes)
        {
            if (NetlinkLibC.Send(_fd, data, bytes.Length, 0) < 0)
                throw Failure($"nftables: send {subject}", Marshal.GetLastPInvokeError(), null);
        }
        // Sequence numbers: first = batch begin, first+1 .. first+Count = the acked messages.
        var pending = new HashSet<uint>();
        for (uint i = 1; i <= batch.Count; i++) pending.Add(first + i);
        (int Errno, int Index, string? Detail)? failure = null;
        while (pending.Count > 0)
        {
            int received = Receive(subject, failure is not null);
            if (received < 0) break;
            var datagram = _receive.AsSpan(0, received);
            while (datagram.Length >= 16)
            {
                var header = MemoryMarshal.Read<NlMsgHdr>(datagram);
                if (header.Length < 16 || header.Length > datagram.Length) break;
                var payload = datagram[16..(int)header.Length];
                datagram = datagram[Math.Min(NetlinkRequest.Align((int)header.Length), datagram.Length)..];
                if (header.Type != Nl.NLMSG_ERROR || payload.Length < 4) continue;
                int errno = -MemoryMarshal.Read<int>(payload);
                // An error on the batch begin means the kernel refused the whole batch (no nf_tables, no permission).
                if (header.Sequence == first)
                {
                    failure ??= (errno, -1, NetlinkSockets.ExtendedAckMessage(header.Flags, payload));
                    pending.Clear();
                    break;
                }
                pending.Remove(header.Sequence);
                if (errno != 0 && failure is null)
                    failure = (errno, (int)(header.Sequence - first - 1), NetlinkSockets.ExtendedAckMessage(header.Flags, payload));
            }
        }
        if (failure is not { } failed) return 0;
        if (tolerated.Contains(failed.Errno)) return failed.Errno;
        string what = failed.Index >= 0 ? Nft.Name(batch.TypeAt(failed.Index)) : Nft.Name(Nft.NFNL_MSG_BATCH_BEGIN);
        throw Failure($"nftables: {what} {subject}", failed.Errno, failed.Detail);
    }

    /// <summary>One datagram of replies; -1 when nothing more comes and an error is already known.</summary>
    private int Receive(string subject, bool failed)
    {
        while (true)
        {
            nint received;
            fixed (byte* buffer = _receive)
                received = NetlinkLibC.Recv(_fd, buffer, _receive.Length, failed ? MSG_DONTWAIT : 0);
            if (received >= 0) return (int)Math.Min(received, _receive.Length);
            int errno = Marshal.GetLastPInvokeError();
            if (errno == NetlinkLibC.EINTR) continue;
            if (errno == NetlinkLibC.EAGAIN && failed) return -1;
            throw Failure($"nftables: {subject}", errno, errno == NetlinkLibC.EAGAIN ? "no reply from the kernel in 10 s" : null);
        }
    }

    private const int MSG_DONTWAIT = 0x40;

    private static BerthException Failure(string prefix, int errno, string? detail) => NetlinkSockets.Failure(prefix, errno, detail);

    public void Dispose()
    {
        if (_fd >= 0) NetlinkLibC.Close(_fd);
        _fd = -1;
    }
}
