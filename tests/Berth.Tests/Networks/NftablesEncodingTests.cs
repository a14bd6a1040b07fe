using System.Buffers.Binary;
using System.Text;
using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;
using Berth.Engine.Networks.Nftables;

namespace Berth.Tests.Networks;

/// <summary>The nf_tables messages BridgeFirewall sends, checked against the bytes nft 1.0.6 sends for the same rules.</summary>
public sealed class NftablesEncodingTests
{
    private static byte[] Encode(NftExpression expression)
    {
        var message = new NetlinkRequest(0, 0);
        expression.Write(message);
        return message.Complete(0)[16..].ToArray();
    }

    [Fact]
    public void Payload_and_bitwise_expressions_match_what_nft_sends_for_ip_saddr_with_a_prefix()
    {
        // `nft --debug=mnl` for `ip saddr 10.99.16.0/20`: payload load 4b @ network header + 12, then the mask.
        Assert.Equal(Convert.FromHexString(
            "34000180" + "0c000100" + "7061796c6f616400" + "24000280" +
            "08000100" + "00000001" + "08000200" + "00000001" + "08000300" + "0000000c" + "08000400" + "00000004"),
            Encode(new NftPayloadLoad(Nft.NFT_PAYLOAD_NETWORK_HEADER, 12, 4)));
        Assert.Equal(Convert.FromHexString(
            "44000180" + "0c000100" + "6269747769736500" + "34000280" +
            "08000100" + "00000001" + "08000200" + "00000001" + "08000300" + "00000004" +
            "0c000480" + "08000100" + "fffff000" + "0c000580" + "08000100" + "00000000"),
            Encode(new NftBitwiseAnd([0xff, 0xff, 0xf0, 0x00])));
    }

    [Fact]
    public void Interface_names_are_compared_nul_padded_to_ifnamsiz_and_verdicts_nest_their_chain()
    {
        byte[] cmp = Encode(new NftCompare(Nft.NFT_CMP_NEQ, Encoding.ASCII.GetBytes("brxyz\0\0\0\0\0\0\0\0\0\0\0")));
        Assert.Equal(Convert.FromHexString(
            "38000180" + "08000100" + "636d7000" + "2c000280" +
            "08000100" + "00000001" + "08000200" + "00000001" +
            "18000380" + "14000100" + "62727879" + "7a000000" + "00000000" + "00000000"), cmp);
        byte[] jump = Encode(new NftVerdict(Nft.NFT_JUMP, "isolate"));
        Assert.Equal(Convert.FromHexString(
            "3c000180" + "0e000100" + "696d6d6564696174" + "65000000" + "28000280" +
            "08000100" + "00000000" +
            "1c000280" + "18000280" + "08000100" + "fffffffd" + "0c000200" + "69736f6c" + "61746500"), jump);
    }

    [Fact]
    public void A_batch_is_framed_by_begin_and_end_and_every_message_in_it_asks_for_an_ack()
    {
        var network = new BridgeNetwork("id", "web", "br1", NetworkAddressing.FromBridgeIp("10.1.2.1/24"));
        var batch = BridgeFirewall.Plan("berth_x", [network]);
        var messages = Split(batch.Encode(7));

        Assert.Equal(2 + batch.Count, messages.Count);
        Assert.Equal(Nft.NFNL_MSG_BATCH_BEGIN, messages[0].Type);
        Assert.Equal(Nft.NFNL_MSG_BATCH_END, messages[^1].Type);
        // nfgenmsg of begin/end: AF_UNSPEC, version 0, res_id = NFNL_SUBSYS_NFTABLES in network order.
        Assert.Equal(Convert.FromHexString("0000000a"), messages[0].Payload);
        Assert.Equal(Enumerable.Range(7, messages.Count).Select(i => (uint)i), messages.Select(m => m.Sequence));
        Assert.All(messages[1..^1], m => Assert.Equal(Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, m.Flags & (Nl.NLM_F_REQUEST | Nl.NLM_F_ACK)));
        Assert.All(messages[1..^1], m => Assert.Equal(Nft.NFPROTO_IPV4, m.Payload[0]));
        Assert.Equal(0, messages[0].Flags & Nl.NLM_F_ACK);
        var types = messages[1..^1].Select(m => m.Type & 0xFF).ToList();
        // The table made, emptied by deleting it and made again: one transaction replaces whatever was there.
        Assert.Equal([Nft.NFT_MSG_NEWTABLE, Nft.NFT_MSG_DELTABLE, Nft.NFT_MSG_NEWTABLE, Nft.NFT_MSG_NEWCHAIN, Nft.NFT_MSG_NEWCHAIN, Nft.NFT_MSG_NEWCHAIN], types[..6]);
        Assert.All(messages[1..^1], m => Assert.Equal(Nft.NFNL_SUBSYS_NFTABLES, m.Type >> 8));
    }

    [Fact]
    public void A_network_gets_isolation_and_masquerade_and_an_internal_one_only_drops()
    {
        var open = new BridgeNetwork("a", "web", "br1", NetworkAddressing.FromBridgeIp("10.1.2.1/24"));
        var closed = new BridgeNetwork("b", "db", "br2", NetworkAddressing.FromBridgeIp("10.1.3.1/24")) { Internal = true };
        var rules = Split(BridgeFirewall.Plan("berth_x", [closed, open]).Encode(1))
            .Where(m => (m.Type & 0xFF) == Nft.NFT_MSG_NEWRULE)
            .Select(Describe)
            .ToList();

        Assert.Equal(
        [
            "forward: meta cmp meta cmp immediate | berth network web",
            "isolate: meta cmp immediate | berth network web",
            "forward: meta cmp meta cmp ct bitwise cmp immediate | berth network web",
            "postrouting: payload bitwise cmp meta cmp masq | berth network web",
            "forward: meta cmp meta cmp immediate | berth network db",
            "isolate: meta cmp immediate | berth network db",
            "forward: meta cmp meta cmp immediate | berth network db",
            "forward: meta cmp meta cmp immediate | berth network db",
        ], rules);
    }

    [Fact]
    public void The_ip6_table_masquerades_the_ipv6_subnet_of_each_dual_stack_network()
    {
        var ipv6 = new Ipv6Addressing(Ipv6Subnet.Parse("fd12:3456::/64"), System.Net.IPAddress.Parse("fd12:3456::1"));
        var dual = new BridgeNetwork("a", "net6", "br1", NetworkAddressing.FromBridgeIp("10.1.2.1/24")) { Ipv6 = ipv6 };
        var messages = Split(BridgeFirewall.Plan("berth_x", [dual], Nft.NFPROTO_IPV6).Encode(1));
        // Every message of the transaction is of family ip6 (nfgenmsg's first byte).
        Assert.All(messages.Skip(1).SkipLast(1), m => Assert.Equal(Nft.NFPROTO_IPV6, m.Payload[0]));
        var masquerade = messages.Where(m => (m.Type & 0xFF) == Nft.NFT_MSG_NEWRULE).Select(Describe)
            .Single(r => r.StartsWith("postrouting", StringComparison.Ordinal));
        Assert.Equal("postrouting: payload bitwise cmp meta cmp masq | berth network net6", masquerade);
        // ip6 saddr: 16 bytes at offset 8 of the IPv6 header, the /64 mask, the prefix.
        var rule = messages.First(m => (m.Type & 0xFF) == Nft.NFT_MSG_NEWRULE && Describe(m).StartsWith("postrouting", StringComparison.Ordinal));
        Assert.True(Contains(rule.Payload, "0800030000000008" + "0800040000000010"));
        Assert.True(Contains(rule.Payload, "ffffffffffffffff0000000000000000"));
        Assert.True(Contains(rule.Payload, "fd123456000000000000000000000000"));
    }

    private static bool Contains(byte[] payload, string hex) => payload.AsSpan().IndexOf(Convert.FromHexString(hex)) >= 0;

    [Fact]
    public void Each_daemon_has_a_table_of_its_own_named_from_its_owner_tag()
    {
        var first = new DeviceNames("/var/lib/berth");
        var second = new DeviceNames("/tmp/berth-it-1/data");
        Assert.Equal("berth_" + first.OwnerTag["berth:".Length..], first.FirewallTable);
        Assert.Equal(first.FirewallTable, new DeviceNames("/var/lib/berth").FirewallTable);
        Assert.NotEqual(first.FirewallTable, second.FirewallTable);
        // Not iptables-nft's tables, which another engine on the host fills.
        Assert.DoesNotContain(first.FirewallTable, new[] { "filter", "nat", "mangle", "raw" });
    }

    [Fact]
    public void A_long_network_name_is_cut_to_whole_characters_in_the_comment()
    {
        var network = new BridgeNetwork("a", new string('é', 100), "br1", NetworkAddressing.FromBridgeIp("10.1.2.1/24"));
        var rule = Split(BridgeFirewall.Plan("berth_x", [network]).Encode(1)).First(m => (m.Type & 0xFF) == Nft.NFT_MSG_NEWRULE);
        string comment = Describe(rule).Split(" | ")[1];
        Assert.StartsWith("berth network éé", comment);
        Assert.True(Encoding.UTF8.GetByteCount(comment) <= 127);
        Assert.DoesNotContain('\uFFFD', comment);
    }

    private sealed record Message(ushort Type, ushort Flags, uint Sequence, byte[] Payload);

    private static List<Message> Split(byte[] batch)
    {
        var messages = new List<Message>();
        for (int offset = 0; offset < batch.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(batch.AsSpan(offset));
            messages.Add(new Message(
                BinaryPrimitives.ReadUInt16LittleEndian(batch.AsSpan(offset + 4)),
                BinaryPrimitives.ReadUInt16LittleEndian(batch.AsSpan(offset + 6)),
                BinaryPrimitives.ReadUInt32LittleEndian(batch.AsSpan(offset + 8)),
                batch[(offset + 16)..(offset + length)]));
            offset += NetlinkRequest.Align(length);
        }
        return messages;
    }

    /// <summary>"chain: expression names | comment" of a NEWRULE message.</summary>
    private static string Describe(Message rule)
    {
        string chain = "", comment = "";
        var names = new List<string>();
        foreach (var (type, value) in Attributes(rule.Payload[4..]))
        {
            if (type == Nft.NFTA_RULE_CHAIN) chain = Encoding.ASCII.GetString(value).TrimEnd('\0');
            if (type == Nft.NFTA_RULE_USERDATA) comment = Encoding.UTF8.GetString(value[2..]).TrimEnd('\0');
            if (type != Nft.NFTA_RULE_EXPRESSIONS) continue;
            foreach (var (_, element) in Attributes(value))
                foreach (var (field, name) in Attributes(element))
                    if (field == Nft.NFTA_EXPR_NAME) names.Add(Encoding.ASCII.GetString(name).TrimEnd('\0'));
        }
        return $"{chain}: {string.Join(' ', names)} | {comment}";
    }

    private static List<(int Type, byte[] Value)> Attributes(byte[] data)
    {
        var attributes = new List<(int, byte[])>();
        for (int offset = 0; offset + 4 <= data.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset));
            int type = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset + 2)) & 0x3FFF;
            attributes.Add((type, data[(offset + 4)..(offset + length)]));
            offset += NetlinkRequest.Align(length);
        }
        return attributes;
    }
}
