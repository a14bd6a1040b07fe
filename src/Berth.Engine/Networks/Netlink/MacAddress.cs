using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Netlink;

/// <summary>A 48-bit Ethernet address, written as Docker writes it: lowercase, colon separated.</summary>
public readonly record struct MacAddress(ulong Value)
{
    public static MacAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 6) throw BerthException.Invalid($"invalid MAC address length {bytes.Length}");
        ulong value = 0;
        foreach (byte b in bytes) value = (value << 8) | b;
        return new MacAddress(value);
    }

    /// <summary>Docker's address for an endpoint: 02:42 followed by the four bytes of its IPv4 address.</summary>
    public static MacAddress FromIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork) throw BerthException.Invalid($"{address} is not an IPv4 address");
        Span<byte> bytes = [0x02, 0x42, 0, 0, 0, 0];
        address.TryWriteBytes(bytes[2..], out _);
        return FromBytes(bytes);
    }

    /// <summary>A random locally administered unicast address (what Docker gives its bridges).</summary>
    public static MacAddress Random()
    {
        Span<byte> bytes = stackalloc byte[6];
        RandomNumberGenerator.Fill(bytes);
        bytes[0] = (byte)((bytes[0] & 0xFE) | 0x02);
        return FromBytes(bytes);
    }

    /// <summary>A locally administered unicast address derived from an ID: the same on every host that knows the ID.</summary>
    public static MacAddress FromId(string id)
    {
        Span<byte> bytes = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id), bytes);
        bytes[0] = (byte)((bytes[0] & 0xFE) | 0x02);
        return FromBytes(bytes[..6]);
    }

    public static MacAddress Parse(string text)
    {
        string[] parts = text.Split(':');
        Span<byte> bytes = stackalloc byte[6];
        if (parts.Length != 6) throw BerthException.Invalid($"invalid MAC address: {text}");
        for (int i = 0; i < 6; i++)
        {
            if (parts[i].Length is < 1 or > 2 || !byte.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
                throw BerthException.Invalid($"invalid MAC address: {text}");
        }
        return FromBytes(bytes);
    }

    public void WriteTo(Span<byte> destination)
    {
        for (int i = 0; i < 6; i++) destination[i] = (byte)(Value >> (40 - 8 * i));
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[6];
        WriteTo(bytes);
        return string.Create(17, bytes.ToArray(), static (chars, b) =>
        {
            for (int i = 0; i < 6; i++)
            {
                b[i].TryFormat(chars[(i * 3)..], out _, "x2", CultureInfo.InvariantCulture);
                if (i < 5) chars[i * 3 + 2] = ':';
            }
        });
    }
}
