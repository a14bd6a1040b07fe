using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Ipam;

/// <summary>An IPv6 prefix such as fd12:3456::/64, held as its masked network address (a 128-bit integer) and length.</summary>
public readonly record struct Ipv6Subnet
{
    public Ipv6Subnet(UInt128 network, int prefixLength)
    {
        if (prefixLength is < 0 or > 128) throw BerthException.Invalid($"invalid prefix length {prefixLength}");
        PrefixLength = prefixLength;
        Network = network & MaskOf(prefixLength);
    }

    public UInt128 Network { get; }
    public int PrefixLength { get; }

    public UInt128 Mask => MaskOf(PrefixLength);

    /// <summary>The last address of the prefix (IPv6 has no broadcast: it is an ordinary host address).</summary>
    public UInt128 Last => Network | ~Mask;

    public IPAddress NetworkAddress => ToAddress(Network);

    /// <summary>Whether text looks like an IPv6 prefix, so a request's IPAM config belongs to this family.</summary>
    public static bool IsIpv6(string? cidr) => cidr is not null && cidr.Contains(':');

    /// <summary>Parses "addr/n" (Go's net.ParseCIDR for IPv6); host bits are cleared, the record keeps the text as written.</summary>
    public static Ipv6Subnet Parse(string text) =>
        TryParse(text, out var subnet) ? subnet : throw BerthException.Invalid($"invalid CIDR address: {text}");

    public static bool TryParse(string? text, out Ipv6Subnet subnet)
    {
        subnet = default;
        if (text is null) return false;
        int slash = text.IndexOf('/');
        if (slash <= 0 || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out int length) || length > 128)
            return false;
        // A zone ("%eth0") or an IPv4-mapped form is no network prefix.
        if (text.AsSpan(0, slash).Contains('%') || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        subnet = new Ipv6Subnet(ToUInt128(address), length);
        return true;
    }

    public static UInt128 ToUInt128(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) throw BerthException.Invalid($"{address} is not an IPv6 address");
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static IPAddress ToAddress(UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    public static UInt128 MaskOf(int prefixLength) => prefixLength == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefixLength);

    public byte[] MaskBytes()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Mask);
        return bytes;
    }

    public byte[] NetworkBytes()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Network);
        return bytes;
    }

    public bool Contains(UInt128 address) => (address & Mask) == Network;

    public bool Contains(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId == 0 && Contains(ToUInt128(address));

    /// <summary>True when <paramref name="other"/> lies completely inside this subnet.</summary>
    public bool Contains(Ipv6Subnet other) => other.PrefixLength >= PrefixLength && Contains(other.Network);

    public bool Overlaps(Ipv6Subnet other) => Contains(other.Network) || other.Contains(Network);

    public override string ToString() => $"{NetworkAddress}/{PrefixLength}";
}
