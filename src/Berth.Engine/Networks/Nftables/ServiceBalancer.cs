using System.Net;
using Berth.Engine.Networks.Netlink;

namespace Berth.Engine.Networks.Nftables;

/// <summary>A swarm service's virtual address on one network and the addresses of its running tasks there.</summary>
public sealed record BalancedAddress(IPAddress Address, IReadOnlyList<IPAddress> Backends);

/// <summary>
/// Swarm's virtual IPs without IPVS: a table in a container's own network namespace whose nat output chain rewrites
/// the destination of connections the container opens to a service's virtual address into one of the service's
/// running tasks, chosen at random with equal odds. Docker does the same in the same place (IPVS in each container's
/// sandbox), and for the same reason: the rewrite happens before the packet leaves the container, so the task answers
/// the container directly and the container's own conntrack turns the answer's source back into the virtual address;
/// nothing on the overlay (no ARP for the virtual address, no hairpin through the node) is needed, and it works alike
/// for tasks on other nodes. Only the address is rewritten, so every port and protocol (TCP, UDP, ICMP) of the tasks is
/// reached, published or not; conntrack keeps a connection (or a UDP flow) on the task its first packet went to.
/// </summary>
/// <remarks>
/// One rule per task, each taking its task with odds 1/(tasks left) (`numgen random mod K == 0`), the last one always:
/// every task gets 1/N of the connections. A `numgen inc` map would be round robin but needs an anonymous set and a
/// lookup, which Berth's nfnetlink encoder does not speak; random choice balances as evenly over many connections.
/// A service with no running task gets no rule: its address then answers nothing (as a VIP with no backend in Docker).
/// </remarks>
public static class ServiceBalancer
{
    /// <summary>The table's name in each container's namespace (the namespace is the container's own: no clash with a daemon's).</summary>
    public const string Table = "berth_services";

    internal const string OutputChain = "output";

    /// <summary>dstnat: nft's name for the priority of destination NAT.</summary>
    private static readonly NftHook Output = new("nat", NftNat.NF_INET_LOCAL_OUT, -100);

    /// <summary>
    /// Makes the namespace's table hold exactly the rules for <paramref name="services"/>, in one transaction; none
    /// deletes the table. Runs on a setns thread, so the nfnetlink socket is the namespace's.
    /// </summary>
    public static void Apply(string netnsPath, IReadOnlyList<BalancedAddress> services) => NetworkNamespace.Run(netnsPath, () =>
    {
        using var socket = NfnetlinkSocket.Open();
        if (services.Count == 0)
            socket.Execute(new NftBatch(Nft.NFPROTO_IPV4).DeleteTable(Table), $"table ip {Table}", Errno.ENOENT);
        else
            socket.Execute(Plan(services), $"table ip {Table}");
    });

    /// <summary>The transaction: the table made (if missing), emptied by deleting it, and built again.</summary>
    internal static NftBatch Plan(IReadOnlyList<BalancedAddress> services)
    {
        var batch = new NftBatch(Nft.NFPROTO_IPV4)
            .AddTable(Table)
            .DeleteTable(Table)
            .AddTable(Table)
            .AddChain(Table, OutputChain, Output);
        foreach (var service in services)
        {
            var backends = service.Backends.Distinct().ToList();
            string comment = $"berth service address {service.Address}";
            for (int index = 0; index < backends.Count; index++)
            {
                int left = backends.Count - index;
                List<NftExpression> rule = [.. DestinationIs(service.Address)];
                if (left > 1) rule.AddRange([new NftRandomNumber((uint)left), new NftCompare(Nft.NFT_CMP_EQ, new byte[4])]);
                rule.AddRange([new NftLoadImmediate(backends[index].MapToIPv4().GetAddressBytes()), new NftDestinationNat()]);
                batch.AddRule(Table, OutputChain, rule, comment);
            }
        }
        return batch;
    }

    /// <summary><c>ip daddr ADDRESS</c>.</summary>
    private static NftExpression[] DestinationIs(IPAddress address) =>
    [
        new NftPayloadLoad(Nft.NFT_PAYLOAD_NETWORK_HEADER, 16, 4),
        new NftCompare(Nft.NFT_CMP_EQ, address.MapToIPv4().GetAddressBytes()),
    ];
}
