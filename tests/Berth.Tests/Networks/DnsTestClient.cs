using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Tests.Networks;

/// <summary>A minimal DNS client for tests: builds one-question queries and reads the answers back.</summary>
internal static class DnsTestClient
{
    public const ushort A = 1;
    public const ushort Ptr = 12;
    public const ushort Mx = 15;
    public const ushort Aaaa = 28;

    public sealed record Reply(ushort Id, int Rcode, bool Truncated, bool Recursive, List<IPAddress> Addresses, List<string> Names, int AnswerCount);

    public static byte[] Query(string name, ushort type, ushort id = 0x1234, int ednsSize = 0)
    {
        var bytes = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, (byte)(ednsSize > 0 ? 1 : 0) };
        bytes.AddRange(EncodeName(name));
        bytes.AddRange([(byte)(type >> 8), (byte)type, 0, 1]);
        if (ednsSize > 0) bytes.AddRange([0, 0, 41, (byte)(ednsSize >> 8), (byte)ednsSize, 0, 0, 0, 0, 0, 0]);
        return [.. bytes];
    }

    public static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (string label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }

    public static Reply Parse(byte[] message)
    {
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(2));
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4));
        int answers = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(6));
        int offset = 12;
        for (int i = 0; i < questions; i++)
        {
            ReadName(message, ref offset);
            offset += 4;
        }
        var addresses = new List<IPAddress>();
        var names = new List<string>();
        for (int i = 0; i < answers; i++)
        {
            ReadName(message, ref offset);
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset));
            int length = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset + 8));
            offset += 10;
            if (type is A or Aaaa) addresses.Add(new IPAddress(message.AsSpan(offset, length)));
            if (type == Ptr)
            {
                int at = offset;
                names.Add(ReadName(message, ref at));
            }
            offset += length;
        }
        return new Reply(BinaryPrimitives.ReadUInt16BigEndian(message), flags & 0xF, (flags & 0x0200) != 0, (flags & 0x0080) != 0,
            addresses, names, answers);
    }

    public static string ReadName(byte[] message, ref int offset)
    {
        var labels = new List<string>();
        int position = offset;
        bool jumped = false;
        while (message[position] != 0)
        {
            if ((message[position] & 0xC0) == 0xC0)
            {
                if (!jumped) offset = position + 2;
                jumped = true;
                position = ((message[position] & 0x3F) << 8) | message[position + 1];
                continue;
            }
            labels.Add(Encoding.ASCII.GetString(message, position + 1, message[position]));
            position += 1 + message[position];
        }
        if (!jumped) offset = position + 1;
        return string.Join('.', labels);
    }

    public static async Task<Reply> AskUdpAsync(IPEndPoint server, byte[] query)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server);
        await socket.SendAsync(query);
        var buffer = new byte[65535];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Parse(buffer[..received]);
    }

    public static async Task<Reply> AskTcpAsync(IPEndPoint server, byte[] query)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server);
        var stream = client.GetStream();
        var framed = new byte[2 + query.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await stream.WriteAsync(framed);
        var prefix = new byte[2];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.ReadExactlyAsync(prefix, timeout.Token);
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(message, timeout.Token);
        return Parse(message);
    }
}
