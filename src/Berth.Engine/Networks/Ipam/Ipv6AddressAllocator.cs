using System.Net;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Ipam;

/// <summary>
/// The IPv6 addresses in use on one network: dynamic requests get the lowest free address of the ip-range (or the
/// subnet) after the subnet-router anycast address (the prefix itself, which dockerd never hands out); static ones
/// any other address of the subnet, the last one included (IPv6 has no broadcast). Rebuilt from the network and its
/// endpoints after a restart, as <see cref="AddressAllocator"/> is. Thread-safe.
/// </summary>
public sealed class Ipv6AddressAllocator
{
    /// <summary>How many taken addresses a dynamic request steps over before it calls the pool exhausted.</summary>
    private const int MaxProbes = 1 << 16;

    private readonly Lock _gate = new();
    private readonly HashSet<UInt128> _allocated = [];
    private readonly string _networkName;
    private readonly string _networkId;

    public Ipv6AddressAllocator(Ipv6Subnet subnet, Ipv6Subnet? ipRange = null, string networkName = "", string networkId = "")
    {
        if (subnet.PrefixLength > 127) throw BerthException.Invalid($"subnet {subnet} has no room for a gateway and an endpoint");
        Subnet = subnet;
        IpRange = ipRange;
        _networkName = networkName;
        _networkId = networkId;
    }

    public Ipv6Subnet Subnet { get; }
    public Ipv6Subnet? IpRange { get; }

    public int Count
    {
        get { lock (_gate) return _allocated.Count; }
    }

    public static Ipv6AddressAllocator ForNetwork(Ipv6Addressing addressing, IEnumerable<IPAddress> endpointAddresses,
        string networkName = "", string networkId = "")
    {
        var allocator = new Ipv6AddressAllocator(addressing.Subnet, addressing.IpRange, networkName, networkId);
        allocator.Reserve(addressing.Gateway);
        foreach (var aux in addressing.AuxiliaryAddresses.Values) allocator.Reserve(aux);
        foreach (var address in endpointAddresses) allocator.Reserve(address);
        return allocator;
    }

    /// <summary>The requested address (--ip6), or the lowest free one; throws with dockerd's messages.</summary>
    public IPAddress Allocate(IPAddress? requested = null)
    {
        lock (_gate)
        {
            if (requested is not null)
            {
                if (!Subnet.Contains(requested))
                    throw BerthException.Invalid($"Invalid address {requested}: It does not belong to any of this network's subnets");
                UInt128 value = Ipv6Subnet.ToUInt128(requested);
                if (value == Subnet.Network || !_allocated.Add(value)) throw BerthException.Conflict("Address already in use");
                return requested;
            }
            var pool = IpRange is { } range && Subnet.Contains(range) ? range : Subnet;
            UInt128 candidate = pool.Network;
            for (int probe = 0; probe < MaxProbes; probe++, candidate++)
            {
                if (candidate == Subnet.Network) continue;
                if (_allocated.Add(candidate)) return Ipv6Subnet.ToAddress(candidate);
                if (candidate == pool.Last) break;
            }
            string network = _networkName.Length > 0 ? $": {_networkName} ({_networkId})" : "";
            throw BerthException.Internal($"no available IPv6 addresses on this network's address pools{network}");
        }
    }

    /// <summary>Marks an address as used; idempotent. Addresses outside the subnet are ignored.</summary>
    public void Reserve(IPAddress address)
    {
        if (!Subnet.Contains(address)) return;
        lock (_gate) _allocated.Add(Ipv6Subnet.ToUInt128(address));
    }

    public void Release(IPAddress address)
    {
        if (!Subnet.Contains(address)) return;
        lock (_gate) _allocated.Remove(Ipv6Subnet.ToUInt128(address));
    }

    public bool IsAllocated(IPAddress address)
    {
        if (!Subnet.Contains(address)) return false;
        lock (_gate) return _allocated.Contains(Ipv6Subnet.ToUInt128(address));
    }
}
