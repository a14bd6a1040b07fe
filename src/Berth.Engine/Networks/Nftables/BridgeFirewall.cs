using Berth.Engine.Networks.Bridge;

namespace Berth.Engine.Networks.Nftables;

/// <summary>
/// What Docker's iptables rules do for bridge networks, as one nftables table per daemon (family ip, named by
/// <see cref="DeviceNames.FirewallTable"/>): containers on a non-internal network reach beyond the host masqueraded
/// behind the outgoing interface's address; forwarding between two of the daemon's bridges is dropped
/// (DOCKER-ISOLATION); an internal network forwards nothing in or out; connections from elsewhere into a bridge are
/// dropped unless they answer one its containers opened (published ports go through the userland proxy instead).
/// <para>
/// Each change rebuilds the whole table in one kernel transaction from the daemon's networks, so there is never a
/// moment without rules, and rules of networks removed while the daemon was down (a SIGKILL) go at the next start.
/// Other daemons' tables and other engines' rules are never read or touched. The table outlives the daemon (as
/// dockerd's rules and bridges do) so running containers keep their connectivity across a restart.
/// </para>
/// </summary>
public sealed class BridgeFirewall(DeviceNames names)
{
    internal const string PostroutingChain = "postrouting";
    internal const string ForwardChain = "forward";
    internal const string IsolationChain = "isolate";

    /// <summary>srcnat and filter, nft's names for these priorities.</summary>
    private static readonly NftHook Postrouting = new("nat", Nft.NF_INET_POST_ROUTING, 100);
    private static readonly NftHook Forward = new("filter", Nft.NF_INET_FORWARD, 0);

    public string Table => names.FirewallTable;

    /// <summary>
    /// Replaces the daemon's table with the rules for exactly <paramref name="networks"/>; the IPv6 rules of dual-stack
    /// networks go into a twin table of family ip6 (same name), which is deleted while no network has IPv6.
    /// </summary>
    public void Apply(IEnumerable<BridgeNetwork> networks)
    {
        var all = networks.ToList();
        using var socket = NfnetlinkSocket.Open();
        socket.Execute(Plan(Table, all), $"table ip {Table}");
        var ipv6 = all.Where(n => n.Ipv6 is not null).ToList();
        if (ipv6.Count > 0) socket.Execute(Plan(Table, ipv6, Nft.NFPROTO_IPV6), $"table ip6 {Table}");
        else socket.Execute(new NftBatch(Nft.NFPROTO_IPV6).DeleteTable(Table), $"table ip6 {Table}", Netlink.Errno.ENOENT);
    }

    /// <summary>Deletes a daemon's tables, ip and ip6 (the daemon gone with its data root); false when there was no ip table.</summary>
    public static bool DeleteTable(string table)
    {
        using var socket = NfnetlinkSocket.Open();
        socket.Execute(new NftBatch(Nft.NFPROTO_IPV6).DeleteTable(table), $"table ip6 {table}", Netlink.Errno.ENOENT);
        return socket.Execute(new NftBatch(Nft.NFPROTO_IPV4).DeleteTable(table), $"table ip {table}", Netlink.Errno.ENOENT) == 0;
    }

    /// <summary>
    /// The transaction: the table made (if missing), emptied by deleting it, and built again. Family ip6 builds the same
    /// chains for the networks' IPv6 subnets (only dual-stack networks belong in it).
    /// </summary>
    internal static NftBatch Plan(string table, IEnumerable<BridgeNetwork> networks, byte family = Nft.NFPROTO_IPV4)
    {
        var batch = new NftBatch(family)
            .AddTable(table)
            .DeleteTable(table)
            .AddTable(table)
            .AddChain(table, PostroutingChain, Postrouting)
            .AddChain(table, ForwardChain, Forward)
            .AddChain(table, IsolationChain);
        foreach (var network in networks.OrderBy(n => n.BridgeName, StringComparer.Ordinal))
        {
            string bridge = network.BridgeName;
            string comment = $"berth network {network.Name}";
            // DOCKER-ISOLATION-STAGE-1: leaving this bridge for another interface is checked against every bridge.
            batch.AddRule(table, ForwardChain, [.. Input(bridge), .. NotOutput(bridge), new NftVerdict(Nft.NFT_JUMP, IsolationChain)], comment);
            // DOCKER-ISOLATION-STAGE-2: ... and dropped when that interface is another of this daemon's bridges.
            batch.AddRule(table, IsolationChain, [.. Output(bridge), new NftVerdict(Nft.NF_DROP)], comment);
            if (network.Internal)
            {
                batch.AddRule(table, ForwardChain, [.. Input(bridge), .. NotOutput(bridge), new NftVerdict(Nft.NF_DROP)], comment);
                batch.AddRule(table, ForwardChain, [.. Output(bridge), .. NotInput(bridge), new NftVerdict(Nft.NF_DROP)], comment);
                continue;
            }
            // Into the bridge from elsewhere: only replies to what its containers opened.
            batch.AddRule(table, ForwardChain,
                [.. Output(bridge), .. NotInput(bridge), .. NotEstablishedOrRelated(), new NftVerdict(Nft.NF_DROP)], comment);
            if (network.Masquerade)
                batch.AddRule(table, PostroutingChain,
                    [.. (family == Nft.NFPROTO_IPV6 ? SourceIn6(network) : SourceIn(network)), .. NotOutput(bridge), new NftMasquerade()], comment);
        }
        return batch;
    }

    private static NftExpression[] Input(string name) => Interface(Nft.NFT_META_IIFNAME, name, Nft.NFT_CMP_EQ);

    private static NftExpression[] NotInput(string name) => Interface(Nft.NFT_META_IIFNAME, name, Nft.NFT_CMP_NEQ);

    private static NftExpression[] Output(string name) => Interface(Nft.NFT_META_OIFNAME, name, Nft.NFT_CMP_EQ);

    private static NftExpression[] NotOutput(string name) => Interface(Nft.NFT_META_OIFNAME, name, Nft.NFT_CMP_NEQ);

    private static NftExpression[] Interface(uint key, string name, uint operation) =>
        [new NftMetaLoad(key), new NftCompare(operation, InterfaceName(name))];

    /// <summary><c>ct state ! established,related</c>.</summary>
    private static NftExpression[] NotEstablishedOrRelated() =>
    [
        new NftCtLoad(Nft.NFT_CT_STATE),
        new NftBitwiseAnd(BitConverter.GetBytes(Nft.CT_STATE_ESTABLISHED | Nft.CT_STATE_RELATED)),
        new NftCompare(Nft.NFT_CMP_EQ, new byte[4]),
    ];

    /// <summary><c>ip saddr SUBNET</c>: the source address under the prefix mask equals the network address.</summary>
    private static NftExpression[] SourceIn(BridgeNetwork network)
    {
        var subnet = network.Addressing.Subnet;
        return
        [
            new NftPayloadLoad(Nft.NFT_PAYLOAD_NETWORK_HEADER, 12, 4),
            new NftBitwiseAnd(BigEndian(subnet.Mask)),
            new NftCompare(Nft.NFT_CMP_EQ, BigEndian(subnet.Network)),
        ];
    }

    /// <summary><c>ip6 saddr SUBNET</c>: the IPv6 source address (offset 8, 16 bytes) under the prefix mask.</summary>
    private static NftExpression[] SourceIn6(BridgeNetwork network)
    {
        var subnet = network.Ipv6!.Subnet;
        return
        [
            new NftPayloadLoad(Nft.NFT_PAYLOAD_NETWORK_HEADER, 8, 16),
            new NftBitwiseAnd(subnet.MaskBytes()),
            new NftCompare(Nft.NFT_CMP_EQ, subnet.NetworkBytes()),
        ];
    }

    private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>An interface name as the kernel compares it: NUL-padded to IFNAMSIZ, so "br1" never matches "br10".</summary>
    private static byte[] InterfaceName(string name)
    {
        var bytes = new byte[Nft.IFNAMSIZ];
        System.Text.Encoding.ASCII.GetBytes(name, bytes);
        return bytes;
    }
}
