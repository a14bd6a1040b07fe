using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Engine.Networks.Dns;

/// <summary>
/// Sends the queries the embedded DNS does not own to the host's resolvers. Its sockets live in the daemon's own
/// network namespace, so even a loopback resolver of the host (127.0.0.53) is reachable, unlike from a container.
/// </summary>
public sealed class DnsForwarder(IReadOnlyList<IPEndPoint> upstreams, TimeSpan? timeout = null)
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(3);

    public IReadOnlyList<IPEndPoint> Upstreams { get; } = upstreams;

    /// <summary>The nameservers of a resolv.conf (the host's, by default), on port 53.</summary>
    public static DnsForwarder FromResolvConf(string path = "/etc/resolv.conf", TimeSpan? timeout = null)
    {
        var upstreams = new List<IPEndPoint>();
        if (File.Exists(path))
        {
            foreach (string line in File.ReadLines(path))
            {
                string[] fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1].Split('%')[0], out var address))
                    upstreams.Add(new IPEndPoint(address, 53));
            }
        }
        return new DnsForwarder(upstreams, timeout);
    }

    /// <summary>The first answer of the resolvers tried in order, or null when none answered in time.</summary>
    public async Task<byte[]?> ForwardAsync(ReadOnlyMemory<byte> query, bool overTcp, CancellationToken cancellationToken)
    {
        if (query.Length < 2) return null;
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(query.Span);
        foreach (var upstream in Upstreams)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_timeout);
            try
            {
                byte[]? response = overTcp
                    ? await ForwardTcpAsync(upstream, query, attempt.Token).ConfigureAwait(false)
                    : await ForwardUdpAsync(upstream, query, id, attempt.Token).ConfigureAwait(false);
                if (response is not null) return response;
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException or IOException)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        return null;
    }

    private static async Task<byte[]?> ForwardUdpAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, ushort id, CancellationToken cancellationToken)
    {
        // A socket per query: concurrent queries with equal IDs from different containers can't be confused.
        using var socket = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(upstream, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[4096];
        while (true)
        {
            int received = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received >= 12 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id) return buffer[..received];
        }
    }

    private static async Task<byte[]?> ForwardTcpAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        using var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(upstream, cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await DnsTcpFraming.WriteAsync(stream, query, cancellationToken).ConfigureAwait(false);
        return await DnsTcpFraming.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
    }
}
