using System.Net;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Ipam;

/// <summary>
/// The addresses in use on one network. Dynamic requests get the lowest free address of the ip-range (or the
/// subnet), as dockerd does; static ones any free host address of the subnet. Nothing is persisted here: the daemon
/// rebuilds an allocator from the network's addressing and its endpoints' addresses (<see cref="ForNetwork"/>), so
/// after a restart an address still held by an endpoint is never handed out twice. Thread-safe.
/// </summary>
public sealed class AddressAllocator
{
    private readonly Lock _gate = new();
    private readonly HashSet<uint> _allocated = [];
    private readonly string _networkName;
    private readonly string _networkId;

    public AddressAllocator(Ipv4Subnet subnet, Ipv4Subnet? ipRange = null, string networkName = "", string networkId = "")
    {
        if (subnet.PrefixLength > 30) throw BerthException.Invalid($"subnet {subnet} has no room for a gateway and an endpoint");
        if (ipRange is { } range && !subnet.Contains(range)) throw BerthException.Invalid($"no matching subnet for range {range}");
        Subnet = subnet;
        IpRange = ipRange;
        _networkName = networkName;
        _networkId = networkId;
    }

    public Ipv4Subnet Subnet { get; }
    public Ipv4Subnet? IpRange { get; }

    public int Count
    {
        get { lock (_gate) return _allocated.Count; }
    }

    /// <summary>The allocator of an existing network: its gateway and auxiliary addresses, plus every address its endpoints hold.</summary>
    public static AddressAllocator ForNetwork(NetworkAddressing addressing, IEnumerable<IPAddress> endpointAddresses,
        string networkName = "", string networkId = "")
    {
        var allocator = new AddressAllocator(addressing.Subnet, addressing.IpRange, networkName, networkId);
        allocator.Reserve(addressing.Gateway);
        foreach (var aux in addressing.AuxiliaryAddresses.Values) allocator.Reserve(aux);
        foreach (var address in endpointAddresses) allocator.Reserve(address);
        return allocator;
    }

    /// <summary>The requested address (--ip), or the lowest free one; throws with dockerd's messages.</summary>
    public IPAddress Allocate(IPAddress? requested = null)
    {
        lock (_gate)
        {
            if (requested is not null)
            {
                uint address = CheckHostAddress(requested);
                if (!_allocated.Add(address)) throw BerthException.Conflict("Address already in use");
                return requested;
            }
            var pool = IpRange ?? Subnet;
            for (ulong offset = 0; offset < pool.Size; offset++)
            {
                uint candidate = (uint)(pool.Network + offset);
                if (candidate == Subnet.Network || candidate == Subnet.Broadcast) continue;
                if (_allocated.Add(candidate)) return Ipv4Subnet.ToAddress(candidate);
            }
            string network = _networkName.Length > 0 ? $": {_networkName} ({_networkId})" : "";
            // dockerd answers 500 for an exhausted network.
            throw BerthException.Internal($"no available IPv4 addresses on this network's address pools{network}");
        }
    }

    /// <summary>Marks an address as used (restoring state, auxiliary addresses); idempotent. Addresses outside the subnet are ignored.</summary>
    public void Reserve(IPAddress address)
    {
        if (!Subnet.Contains(address)) return;
        lock (_gate) _allocated.Add(Ipv4Subnet.ToUInt32(address));
    }

    /// <summary>Gives an address back (disconnect, container removal); releasing a free address is no error.</summary>
    public void Release(IPAddress address)
    {
        if (!Subnet.Contains(address)) return;
        lock (_gate) _allocated.Remove(Ipv4Subnet.ToUInt32(address));
    }

    public bool IsAllocated(IPAddress address)
    {
        if (!Subnet.Contains(address)) return false;
        lock (_gate) return _allocated.Contains(Ipv4Subnet.ToUInt32(address));
    }

    private uint CheckHostAddress(IPAddress requested)
    {
        if (requested.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || !Subnet.Contains(requested))
            throw BerthException.Invalid($"Invalid address {requested}: It does not belong to any of this network's subnets");
        uint address = Ipv4Subnet.ToUInt32(requested);
        // The network and broadcast addresses can never be given to an endpoint; dockerd reports them as taken.
        if (address == Subnet.Network || address == Subnet.Broadcast) throw BerthException.Conflict("Address already in use");
        return address;
    }
}
