using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Engine.Networks.Dns;

/// <summary>
/// Answers the queries the embedded DNS owns: A and AAAA for the container's network names (rotated for round
/// robin; an empty AAAA on IPv4-only networks), PTR for their addresses. Everything else is left to the forwarder.
/// </summary>
internal static class DnsResponder
{
    /// <summary>dockerd's embedded DNS gives its records a TTL of 600 s.</summary>
    private const uint Ttl = 600;
    private const int RcodeServerFailure = 2;
    private const int RcodeNotImplemented = 4;

    public enum Outcome
    {
        Answered,
        Forward,
        Drop,
    }

    /// <summary>Decides what to do with a query; <paramref name="response"/> is set when it is answered here.</summary>
    public static Outcome Respond(ReadOnlySpan<byte> message, IDnsRecords records, int rotation, bool overTcp, out byte[]? response)
    {
        response = null;
        if (!DnsQuery.TryParse(message, out var query) || query.IsResponse) return Outcome.Drop;
        if (query.Opcode != 0)
        {
            response = Build(message, query, RcodeNotImplemented, [], overTcp);
            return Outcome.Answered;
        }
        if (query.Class != DnsQuery.ClassIn) return Outcome.Forward;
        switch (query.Type)
        {
            case DnsQuery.TypeA when records.Lookup(query.Name) is { } addresses:
                var answers = Rotate(addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList(), rotation)
                    .Select(a => Record(DnsQuery.TypeA, a.GetAddressBytes())).ToList();
                response = Build(message, query, 0, answers, overTcp);
                return Outcome.Answered;
            case DnsQuery.TypeAaaa when records.Lookup(query.Name) is { } known:
                // A known name on an IPv4-only network has no AAAA: an empty answer, no reason to ask upstream.
                var answers6 = Rotate(known.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).ToList(), rotation)
                    .Select(a => Record(DnsQuery.TypeAaaa, a.GetAddressBytes())).ToList();
                response = Build(message, query, 0, answers6, overTcp);
                return Outcome.Answered;
            case DnsQuery.TypePtr when ParseReverseName(query.Name) is { } address && records.ReverseLookup(address) is { } name:
                response = Build(message, query, 0, [Record(DnsQuery.TypePtr, EncodeName(name))], overTcp);
                return Outcome.Answered;
            default:
                return Outcome.Forward;
        }
    }

    /// <summary>SERVFAIL for a query no upstream resolver answered.</summary>
    public static byte[]? ServerFailure(ReadOnlySpan<byte> message, bool overTcp) =>
        DnsQuery.TryParse(message, out var query) ? Build(message, query, RcodeServerFailure, [], overTcp) : null;

    private static List<T> Rotate<T>(List<T> items, int rotation)
    {
        if (items.Count < 2) return items;
        int start = (int)((uint)rotation % (uint)items.Count);
        return [.. items.Skip(start), .. items.Take(start)];
    }

    private static byte[] Record(ushort type, byte[] data)
    {
        var record = new byte[12 + data.Length];
        // The owner name is a pointer to the question's name at offset 12.
        BinaryPrimitives.WriteUInt16BigEndian(record, 0xC00C);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(2), type);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(4), DnsQuery.ClassIn);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(6), Ttl);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(10), (ushort)data.Length);
        data.CopyTo(record, 12);
        return record;
    }

    /// <summary>Header and question of the query, then as many answers as fit (over UDP: 512 bytes, or the EDNS size).</summary>
    private static byte[] Build(ReadOnlySpan<byte> message, DnsQuery query, int rcode, List<byte[]> answers, bool overTcp)
    {
        int limit = overTcp ? 65535 : query.MaxUdpSize;
        int length = query.QuestionEnd;
        int count = 0;
        foreach (var answer in answers)
        {
            if (length + answer.Length > limit) break;
            length += answer.Length;
            count++;
        }
        bool truncated = count < answers.Count;
        var response = new byte[length];
        message[..query.QuestionEnd].CopyTo(response);
        // QR, the query's opcode and RD, RA, optionally TC; no additional records (the OPT is not echoed).
        ushort flags = (ushort)(0x8000 | (query.Flags & 0x7900) | 0x0080 | (truncated ? 0x0200 : 0) | rcode);
        BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(6), (ushort)count);
        BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(10), 0);
        int offset = query.QuestionEnd;
        for (int i = 0; i < count; i++)
        {
            answers[i].CopyTo(response, offset);
            offset += answers[i].Length;
        }
        return response;
    }

    /// <summary>"2.0.18.172.in-addr.arpa" → 172.18.0.2; "2.0.0.0 … 2.1.d.f.ip6.arpa" (32 nibbles) → fd12::2.</summary>
    internal static IPAddress? ParseReverseName(string name)
    {
        const string suffix = ".in-addr.arpa";
        if (name.EndsWith(".ip6.arpa", StringComparison.Ordinal)) return ParseReverseName6(name[..^".ip6.arpa".Length]);
        if (!name.EndsWith(suffix, StringComparison.Ordinal)) return null;
        string[] parts = name[..^suffix.Length].Split('.');
        if (parts.Length != 4) return null;
        var bytes = new byte[4];
        for (int i = 0; i < 4; i++)
            if (!byte.TryParse(parts[3 - i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i])) return null;
        return new IPAddress(bytes);
    }

    private static IPAddress? ParseReverseName6(string nibbles)
    {
        string[] parts = nibbles.Split('.');
        if (parts.Length != 32) return null;
        var bytes = new byte[16];
        for (int i = 0; i < 32; i++)
        {
            if (parts[i].Length != 1 || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte nibble))
                return null;
            // The first label is the address's last nibble.
            int position = 31 - i;
            bytes[position / 2] |= (byte)(position % 2 == 0 ? nibble << 4 : nibble);
        }
        return new IPAddress(bytes);
    }

    internal static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (string label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            byte[] text = Encoding.ASCII.GetBytes(label);
            bytes.Add((byte)Math.Min(text.Length, 63));
            bytes.AddRange(text.Take(63));
        }
        bytes.Add(0);
        return [.. bytes];
    }
}
