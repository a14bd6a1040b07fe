using System.Buffers.Binary;
using System.Net;
using System.Text;
using Berth.Engine.Networks.Netlink;
using Berth.Engine.Networks.Nftables;

namespace Berth.Tests.Networks;

/// <summary>The nat table that balances swarm services' virtual IPs in a container's namespace, against the bytes nft 1.0.6 sends.</summary>
public sealed class ServiceBalancerTests
{
    private static byte[] Encode(NftExpression expression)
    {
        var message = new NetlinkRequest(0, 0);
        expression.Write(message);
        return message.Complete(0)[16..].ToArray();
    }

    [Fact]
    public void Numgen_immediate_and_dnat_match_what_nft_sends()
    {
        // `nft --debug=mnl` for `ip daddr 10.0.1.2 numgen random mod 3 == 0 dnat to 10.0.1.7`.
        Assert.Equal(Convert.FromHexString(
            "34000180" + "0b000100" + "6e756d67656e0000" + "24000280" +
            "08000100" + "00000001" + "08000200" + "00000003" + "08000300" + "00000001" + "08000400" + "00000000"),
            Encode(new NftRandomNumber(3)));
        Assert.Equal(Convert.FromHexString(
            "2c000180" + "0e000100" + "696d6d6564696174" + "65000000" + "18000280" +
            "08000100" + "00000001" + "0c000280" + "08000100" + "0a000107"),
            Encode(new NftLoadImmediate([10, 0, 1, 7])));
        Assert.Equal(Convert.FromHexString(
            "28000180" + "08000100" + "6e617400" + "1c000280" +
            "08000100" + "00000001" + "08000200" + "00000002" + "08000300" + "00000001"),
            Encode(new NftDestinationNat()));
    }

    [Fact]
    public void Each_task_gets_a_rule_taking_it_with_odds_one_in_the_tasks_left_and_the_last_one_always()
    {
        var batch = ServiceBalancer.Plan(
        [
            new BalancedAddress(IPAddress.Parse("10.0.1.2"), [IPAddress.Parse("10.0.1.3"), IPAddress.Parse("10.0.1.4"), IPAddress.Parse("10.0.1.5")]),
            new BalancedAddress(IPAddress.Parse("10.0.1.9"), []),
        ]);
        var messages = Split(batch.Encode(1))[1..^1];
        Assert.Equal([Nft.NFT_MSG_NEWTABLE, Nft.NFT_MSG_DELTABLE, Nft.NFT_MSG_NEWTABLE, Nft.NFT_MSG_NEWCHAIN],
            messages[..4].Select(m => (ushort)(m.Type & 0xFF)));
        var rules = messages.Where(m => (m.Type & 0xFF) == Nft.NFT_MSG_NEWRULE).Select(Describe).ToList();
        // A service without a running task has no rule: its address answers nothing.
        Assert.Equal(
        [
            "output: payload cmp numgen cmp immediate nat | 3 0a000103 berth service address 10.0.1.2",
            "output: payload cmp numgen cmp immediate nat | 2 0a000104 berth service address 10.0.1.2",
            "output: payload cmp immediate nat | 0a000105 berth service address 10.0.1.2",
        ], rules);
    }

    private sealed record Message(ushort Type, byte[] Payload);

    private static List<Message> Split(byte[] batch)
    {
        var messages = new List<Message>();
        for (int offset = 0; offset < batch.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(batch.AsSpan(offset));
            messages.Add(new Message(BinaryPrimitives.ReadUInt16LittleEndian(batch.AsSpan(offset + 4)), batch[(offset + 16)..(offset + length)]));
            offset += NetlinkRequest.Align(length);
        }
        return messages;
    }

    /// <summary>"chain: expression names | numgen modulus, dnat address, comment" of a NEWRULE message.</summary>
    private static string Describe(Message rule)
    {
        string chain = "", comment = "";
        var names = new List<string>();
        var values = new List<string>();
        foreach (var (type, value) in Attributes(rule.Payload[4..]))
        {
            if (type == Nft.NFTA_RULE_CHAIN) chain = Encoding.ASCII.GetString(value).TrimEnd('\0');
            if (type == Nft.NFTA_RULE_USERDATA) comment = Encoding.UTF8.GetString(value[2..]).TrimEnd('\0');
            if (type != Nft.NFTA_RULE_EXPRESSIONS) continue;
            foreach (var (_, element) in Attributes(value))
            {
                var fields = Attributes(element);
                string name = Encoding.ASCII.GetString(fields.First(f => f.Type == Nft.NFTA_EXPR_NAME).Value).TrimEnd('\0');
                names.Add(name);
                var data = Attributes(fields.First(f => f.Type == Nft.NFTA_EXPR_DATA).Value);
                if (name == "numgen") values.Add(BinaryPrimitives.ReadUInt32BigEndian(data.First(d => d.Type == 2).Value).ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (name == "immediate") values.Add(Convert.ToHexStringLower(Attributes(data.First(d => d.Type == 2).Value)[0].Value));
            }
        }
        return $"{chain}: {string.Join(' ', names)} | {string.Join(' ', values)} {comment}";
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
