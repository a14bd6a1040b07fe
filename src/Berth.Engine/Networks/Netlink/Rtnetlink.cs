using System.ComponentModel;
using System.Runtime.InteropServices;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Netlink;

/// <summary>
/// An rtnetlink (NETLINK_ROUTE) socket: links, addresses and routes of the network namespace it was opened in.
/// Calls are synchronous kernel round trips of a few microseconds; one instance is safe to share between threads.
/// </summary>
public sealed partial class Rtnetlink : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;
    private readonly Lock _gate = new();
    private readonly byte[] _receive = new byte[ReceiveBufferSize];
    private int _fd;
    private uint _sequence;

    private Rtnetlink(int fd)
    {
        _fd = fd;
    }

    /// <summary>A socket on the network namespace of the calling thread (the daemon's own, unless called on a setns thread).</summary>
    public static Rtnetlink Open() => new(NetlinkSockets.Open(NetlinkLibC.NETLINK_ROUTE, "NETLINK_ROUTE", receiveBuffer: 1 << 20));

    /// <summary>A socket that acts in another network namespace (a /proc/PID/ns/net or bind-mounted netns file).</summary>
    /// <remarks>A netlink socket belongs to the namespace it was created in, so only its creation needs the setns thread.</remarks>
    public static Rtnetlink OpenInNamespace(string netnsPath) => NetworkNamespace.Run(netnsPath, Open);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_fd > 0) NetlinkLibC.Close(_fd);
            _fd = -1;
        }
    }

    /// <summary>Sends a request with NLM_F_ACK and waits for the ack; returns 0, or the errno if it is one of <paramref name="tolerated"/>.</summary>
    internal int Execute(NetlinkRequest request, string subject, params ReadOnlySpan<int> tolerated)
    {
        int errno = Transact(request, subject, null, tolerated);
        return errno;
    }

    /// <summary>A request answered by one message (RTM_GETLINK by name); null when the errno is tolerated.</summary>
    internal byte[]? Get(NetlinkRequest request, string subject, params ReadOnlySpan<int> tolerated)
    {
        var replies = new List<byte[]>(1);
        int errno = Transact(request, subject, replies, tolerated);
        return errno == 0 && replies.Count > 0 ? replies[0] : null;
    }

    /// <summary>A NLM_F_DUMP request; returns each reply's payload (the bytes after its nlmsghdr).</summary>
    internal List<byte[]> Dump(NetlinkRequest request, string subject)
    {
        var replies = new List<byte[]>();
        Transact(request, subject, replies, []);
        return replies;
    }

    private unsafe int Transact(NetlinkRequest request, string subject, List<byte[]>? replies, ReadOnlySpan<int> tolerated)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_fd < 0, this);
            uint sequence = ++_sequence;
            ReadOnlySpan<byte> message = request.Complete(sequence);
            fixed (byte* bytes = message)
            {
                if (NetlinkLibC.Send(_fd, bytes, message.Length, 0) < 0)
                    throw Failure(request.Type, subject, Marshal.GetLastPInvokeError(), null);
            }
            bool dump = (request.Flags & Nl.NLM_F_DUMP) == Nl.NLM_F_DUMP;
            while (true)
            {
                int received = ReceiveOnce(request, subject);
                var reply = ReadReplies(_receive.AsSpan(0, received), sequence, request, subject, replies, tolerated, dump);
                if (reply is { } errno) return errno;
            }
        }
    }

    private unsafe int ReceiveOnce(NetlinkRequest request, string subject)
    {
        while (true)
        {
            nint received;
            fixed (byte* buffer = _receive)
                received = NetlinkLibC.Recv(_fd, buffer, _receive.Length, NetlinkLibC.MSG_TRUNC);
            if (received >= 0)
            {
                if (received > _receive.Length) throw Failure(request.Type, subject, 90 /* EMSGSIZE */, "reply larger than 64 KiB");
                return (int)received;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno == NetlinkLibC.EINTR) continue;
            throw Failure(request.Type, subject, errno, errno == NetlinkLibC.EAGAIN ? "no reply from the kernel in 10 s" : null);
        }
    }

    /// <summary>Handles one datagram of replies; returns the final errno once the request is answered, null while more is expected.</summary>
    private static int? ReadReplies(ReadOnlySpan<byte> datagram, uint sequence, NetlinkRequest request, string subject,
        List<byte[]>? replies, ReadOnlySpan<int> tolerated, bool dump)
    {
        while (datagram.Length >= 16)
        {
            var header = MemoryMarshal.Read<NlMsgHdr>(datagram);
            if (header.Length < 16 || header.Length > datagram.Length) break;
            ReadOnlySpan<byte> payload = datagram[16..(int)header.Length];
            datagram = datagram[Math.Min(NetlinkRequest.Align((int)header.Length), datagram.Length)..];
            if (header.Sequence != sequence) continue;
            switch (header.Type)
            {
                case Nl.NLMSG_DONE:
                    // A dump's end carries its own error (an interrupted or refused dump).
                    int dumpErrno = payload.Length >= 4 ? -MemoryMarshal.Read<int>(payload) : 0;
                    if (dumpErrno > 0) throw Failure(request.Type, subject, dumpErrno, null);
                    return 0;
                case Nl.NLMSG_ERROR:
                    int errno = -MemoryMarshal.Read<int>(payload);
                    if (errno == 0) return 0;
                    if (tolerated.Contains(errno)) return errno;
                    throw Failure(request.Type, subject, errno, NetlinkSockets.ExtendedAckMessage(header.Flags, payload));
                default:
                    replies?.Add(payload.ToArray());
                    if (!dump && (header.Flags & Nl.NLM_F_MULTI) == 0 && (request.Flags & Nl.NLM_F_ACK) == 0) return 0;
                    break;
            }
        }
        return null;
    }

    private static BerthException Failure(string call, int errno) =>
        Failure($"netlink: {call}", errno, null);

    private static BerthException Failure(ushort type, string subject, int errno, string? detail) =>
        Failure($"netlink: {Nl.Name(type)} {subject}", errno, detail);

    private static BerthException Failure(string prefix, int errno, string? detail) => NetlinkSockets.Failure(prefix, errno, detail);

    /// <summary>The errno behind a netlink failure, 0 when the exception did not come from the kernel.</summary>
    public static int ErrnoOf(Exception exception) => (exception.InnerException as Win32Exception)?.NativeErrorCode ?? 0;
}
