using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Ipam;

/// <summary>An IPv4 prefix such as 172.18.0.0/16, held as its masked network address and length.</summary>
public readonly record struct Ipv4Subnet
{
    public Ipv4Subnet(uint network, int prefixLength)
    {
        if (prefixLength is < 0 or > 32) throw BerthException.Invalid($"invalid prefix length {prefixLength}");
        PrefixLength = prefixLength;
        Network = network & MaskOf(prefixLength);
    }

    /// <summary>The network address as a host-order integer (172.18.0.0 = 0xAC120000).</summary>
    public uint Network { get; }
    public int PrefixLength { get; }

    public uint Mask => MaskOf(PrefixLength);
    public uint Broadcast => Network | ~Mask;
    public ulong Size => 1UL << (32 - PrefixLength);

    public IPAddress NetworkAddress => ToAddress(Network);
    public IPAddress BroadcastAddress => ToAddress(Broadcast);

    /// <summary>Parses "a.b.c.d/n"; host bits are cleared (Docker keeps 10.98.0.5/24 as written, but means 10.98.0.0/24).</summary>
    public static Ipv4Subnet Parse(string text) =>
        TryParse(text, out var subnet) ? subnet : throw BerthException.Invalid($"invalid CIDR address: {text}");

    public static bool TryParse(string? text, out Ipv4Subnet subnet)
    {
        subnet = default;
        if (text is null) return false;
        int slash = text.IndexOf('/');
        if (slash <= 0 || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out int length) || length > 32)
            return false;
        if (!TryParseAddress(text[..slash], out uint address)) return false;
        subnet = new Ipv4Subnet(address, length);
        return true;
    }

    /// <summary>Strict dotted-quad parsing (IPAddress.Parse would accept "10.1" and IPv6).</summary>
    public static bool TryParseAddress(string text, out uint address)
    {
        address = 0;
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3)
            return false;
        address = ToUInt32(ip);
        return true;
    }

    public static uint ToUInt32(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork) throw BerthException.Invalid($"{address} is not an IPv4 address");
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress ToAddress(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    public static uint MaskOf(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);

    public bool Contains(uint address) => (address & Mask) == Network;

    public bool Contains(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork && Contains(ToUInt32(address));

    /// <summary>True when <paramref name="other"/> lies completely inside this subnet.</summary>
    public bool Contains(Ipv4Subnet other) => other.PrefixLength >= PrefixLength && Contains(other.Network);

    public bool Overlaps(Ipv4Subnet other) => Contains(other.Network) || other.Contains(Network);

    public override string ToString() => $"{NetworkAddress}/{PrefixLength}";
}
