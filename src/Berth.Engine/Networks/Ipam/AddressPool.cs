using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Ipam;

/// <summary>
/// One entry of daemon.json "default-address-pools": a base range cut into subnets of one size
/// ({"base": "172.80.0.0/16", "size": 24} gives 172.80.0.0/24, 172.80.1.0/24, ...).
/// </summary>
public sealed record AddressPool(Ipv4Subnet Base, int Size)
{
    /// <summary>Docker's built-in local pools: 172.17.0.0/16 to 172.31.0.0/16, then 192.168.0.0/20 to 192.168.240.0/20.</summary>
    public static IReadOnlyList<AddressPool> DockerDefaults { get; } =
    [
        new(Ipv4Subnet.Parse("172.17.0.0/16"), 16),
        new(Ipv4Subnet.Parse("172.18.0.0/16"), 16),
        new(Ipv4Subnet.Parse("172.19.0.0/16"), 16),
        new(Ipv4Subnet.Parse("172.20.0.0/14"), 16),
        new(Ipv4Subnet.Parse("172.24.0.0/14"), 16),
        new(Ipv4Subnet.Parse("172.28.0.0/14"), 16),
        new(Ipv4Subnet.Parse("192.168.0.0/16"), 20),
    ];

    public static AddressPool Create(string baseCidr, int size)
    {
        var pool = new AddressPool(Ipv4Subnet.Parse(baseCidr), size);
        if (size < pool.Base.PrefixLength || size > 30)
            throw BerthException.Invalid($"invalid default address pool {baseCidr}: size {size} must be between {pool.Base.PrefixLength} and 30");
        return pool;
    }

    /// <summary>The pool's subnets in order.</summary>
    public IEnumerable<Ipv4Subnet> Subnets()
    {
        ulong count = 1UL << (Size - Base.PrefixLength);
        ulong step = 1UL << (32 - Size);
        for (ulong i = 0; i < count; i++) yield return new Ipv4Subnet((uint)(Base.Network + i * step), Size);
    }
}
