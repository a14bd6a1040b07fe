using System.Net;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Ipam;

/// <summary>
/// Decides the addressing of a new network: the subnet the user gave (which must not overlap another network of
/// this daemon), or the first subnet of the address pools that overlaps neither another network nor anything on the
/// host; then the gateway and ip-range, checked as dockerd checks them.
/// </summary>
public sealed class SubnetPlanner(IReadOnlyList<AddressPool>? pools = null)
{
    public IReadOnlyList<AddressPool> Pools { get; } = pools is { Count: > 0 } ? pools : AddressPool.DockerDefaults;

    /// <param name="networks">Subnets of this daemon's other networks.</param>
    /// <param name="host">What the host routes or owns (<see cref="HostSubnets"/>); only automatic choices avoid it.</param>
    public NetworkAddressing Plan(IpamRequest request, IReadOnlyCollection<Ipv4Subnet> networks, IReadOnlyCollection<Ipv4Subnet> host)
    {
        Ipv4Subnet subnet;
        if (!string.IsNullOrEmpty(request.Subnet))
        {
            subnet = Ipv4Subnet.Parse(request.Subnet);
            if (networks.Any(subnet.Overlaps)) throw BerthException.Forbidden("Pool overlaps with other one on this address space");
        }
        else
        {
            if (!string.IsNullOrEmpty(request.Gateway) || !string.IsNullOrEmpty(request.IpRange))
                throw BerthException.Invalid("every ip-range or gateway must have a corresponding subnet");
            subnet = ChooseSubnet(networks.Concat(host));
        }

        Ipv4Subnet? range = null;
        if (!string.IsNullOrEmpty(request.IpRange))
        {
            var parsed = Ipv4Subnet.Parse(request.IpRange);
            if (!subnet.Contains(parsed)) throw BerthException.Invalid($"no matching subnet for range {request.IpRange}");
            range = parsed;
        }
        // dockerd answers 500 for a subnet without room, as for any allocation failure.
        if (subnet.PrefixLength > 30) throw BerthException.Internal("failed to allocate gateway (): No available addresses on this pool");
        var allocator = new AddressAllocator(subnet, range);

        var aux = new Dictionary<string, IPAddress>();
        foreach (var (name, text) in request.AuxiliaryAddresses ?? new Dictionary<string, string>())
        {
            if (!IPAddress.TryParse(text, out var address) || !subnet.Contains(address))
                throw BerthException.Invalid($"no matching subnet for aux-address {text}");
            allocator.Reserve(address);
            aux[name] = address;
        }

        IPAddress gateway;
        if (!string.IsNullOrEmpty(request.Gateway))
        {
            if (!IPAddress.TryParse(request.Gateway, out var requested) || !subnet.Contains(requested))
                throw BerthException.Invalid($"no matching subnet for gateway {request.Gateway}");
            try
            {
                gateway = allocator.Allocate(requested);
            }
            catch (BerthException exception)
            {
                throw new BerthException(exception.Kind, $"failed to allocate gateway ({request.Gateway}): {exception.Message}");
            }
        }
        else
        {
            try
            {
                gateway = allocator.Allocate();
            }
            catch (BerthException)
            {
                // A dynamic allocation only fails when the range is full (every address reserved as auxiliary).
                throw BerthException.Internal("failed to allocate gateway (): No available addresses on this pool");
            }
        }
        return new NetworkAddressing(subnet, gateway, range) { AuxiliaryAddresses = aux };
    }

    /// <summary>
    /// The IPv6 half of a dual-stack network: the subnet must be given (dockerd 20.10 has no IPv6 pools by default:
    /// 404 as it answers), must not overlap another network's, and the gateway is its first address unless asked for.
    /// </summary>
    public static Ipv6Addressing PlanIpv6(IpamRequest? request, IReadOnlyCollection<Ipv6Subnet> networks)
    {
        if (request is null || string.IsNullOrEmpty(request.Subnet))
            throw BerthException.NotFound("could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network");
        var subnet = Ipv6Subnet.Parse(request.Subnet);
        if (networks.Any(subnet.Overlaps)) throw BerthException.Forbidden("Pool overlaps with other one on this address space");
        Ipv6Subnet? range = null;
        if (!string.IsNullOrEmpty(request.IpRange))
        {
            if (!Ipv6Subnet.TryParse(request.IpRange, out var parsed) || !subnet.Contains(parsed))
                throw BerthException.Invalid($"no matching subnet for range {request.IpRange}");
            range = parsed;
        }
        if (subnet.PrefixLength > 127) throw BerthException.Internal("failed to allocate gateway (): No available addresses on this pool");
        var allocator = new Ipv6AddressAllocator(subnet, range);
        var aux = new Dictionary<string, IPAddress>();
        foreach (var (name, text) in request.AuxiliaryAddresses ?? new Dictionary<string, string>())
        {
            if (!IPAddress.TryParse(text, out var address) || !subnet.Contains(address))
                throw BerthException.Invalid($"no matching subnet for aux-address {text}");
            allocator.Reserve(address);
            aux[name] = address;
        }
        IPAddress gateway;
        if (!string.IsNullOrEmpty(request.Gateway))
        {
            if (!IPAddress.TryParse(request.Gateway, out var requested) || !subnet.Contains(requested))
                throw BerthException.Invalid($"no matching subnet for gateway {request.Gateway}");
            try
            {
                gateway = allocator.Allocate(requested);
            }
            catch (BerthException exception)
            {
                // dockerd: the subnet-router anycast address (the prefix itself) is "Address already in use", a 500.
                throw BerthException.Internal($"failed to allocate gateway ({request.Gateway}): {exception.Message}");
            }
        }
        else
        {
            try
            {
                // The lowest free address of the ip-range (or the subnet), as for IPv4: fd27::1:0 for fd27::1:0/112.
                gateway = allocator.Allocate();
            }
            catch (BerthException)
            {
                throw BerthException.Internal("failed to allocate gateway (): No available addresses on this pool");
            }
        }
        return new Ipv6Addressing(subnet, gateway, range) { AuxiliaryAddresses = aux };
    }

    /// <summary>The first pool subnet that overlaps none of <paramref name="taken"/>.</summary>
    public Ipv4Subnet ChooseSubnet(IEnumerable<Ipv4Subnet> taken)
    {
        var avoid = taken.ToList();
        foreach (var pool in Pools)
            foreach (var candidate in pool.Subnets())
                if (!avoid.Any(candidate.Overlaps)) return candidate;
        throw BerthException.Internal("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
    }
}
