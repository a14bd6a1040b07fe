using System.Buffers.Binary;
using System.Text;

namespace Berth.Engine.Networks.Dns;

/// <summary>The parts of a DNS query the embedded server acts on: its first question and the EDNS payload size.</summary>
internal readonly record struct DnsQuery(ushort Id, ushort Flags, string Name, ushort Type, ushort Class, int QuestionEnd, int MaxUdpSize)
{
    public const ushort TypeA = 1;
    public const ushort TypePtr = 12;
    public const ushort TypeAaaa = 28;
    public const ushort TypeOpt = 41;
    public const ushort ClassIn = 1;

    public int Opcode => (Flags >> 11) & 0xF;
    public bool IsResponse => (Flags & 0x8000) != 0;

    /// <summary>Reads a query; false for anything malformed (which the server drops, as resolvers do).</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out DnsQuery query)
    {
        query = default;
        if (message.Length < 12) return false;
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(message);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        ushort questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        ushort answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        ushort authorities = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        ushort additionals = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (questions != 1) return false;
        int offset = 12;
        if (!TryReadName(message, ref offset, out string name) || offset + 4 > message.Length) return false;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        ushort @class = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        int questionEnd = offset + 4;
        int maxUdp = 512;
        // An EDNS OPT record (the only thing a query normally carries after its question) raises the UDP limit.
        if (answers == 0 && authorities == 0 && additionals > 0)
        {
            int at = questionEnd;
            if (TryReadName(message, ref at, out _) && at + 4 <= message.Length &&
                BinaryPrimitives.ReadUInt16BigEndian(message[at..]) == TypeOpt)
                maxUdp = Math.Clamp((int)BinaryPrimitives.ReadUInt16BigEndian(message[(at + 2)..]), 512, 4096);
        }
        query = new DnsQuery(id, flags, name, type, @class, questionEnd, maxUdp);
        return true;
    }

    /// <summary>Reads a possibly compressed name, lowercased, without the trailing dot.</summary>
    private static bool TryReadName(ReadOnlySpan<byte> message, ref int offset, out string name)
    {
        var builder = new StringBuilder();
        name = "";
        int position = offset, jumps = 0;
        bool jumped = false;
        while (true)
        {
            if (position >= message.Length) return false;
            byte length = message[position];
            if (length == 0)
            {
                position++;
                break;
            }
            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length || ++jumps > 16) return false;
                int target = ((length & 0x3F) << 8) | message[position + 1];
                if (!jumped) offset = position + 2;
                jumped = true;
                position = target;
                continue;
            }
            if ((length & 0xC0) != 0 || position + 1 + length > message.Length) return false;
            if (builder.Length > 0) builder.Append('.');
            builder.Append(Encoding.ASCII.GetString(message.Slice(position + 1, length)).ToLowerInvariant());
            if (builder.Length > 255) return false;
            position += 1 + length;
        }
        if (!jumped) offset = position;
        name = builder.ToString();
        return true;
    }
}
