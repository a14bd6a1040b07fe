using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Engine.Networks.Netlink;

namespace Berth.Engine.Networks.Nftables;

/// <summary>nfgenmsg: the family header of every nfnetlink message.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NfGenMsg
{
    public byte Family;
    public byte Version;
    /// <summary>Big-endian; the subsystem ID in batch begin and end messages.</summary>
    public ushort ResourceId;
}

/// <summary>Where a base chain hooks in: its type ("filter", "nat"), hook number and priority.</summary>
internal sealed record NftHook(string Type, uint Number, int Priority);

/// <summary>
/// An nf_tables transaction: messages between NFNL_MSG_BATCH_BEGIN and NFNL_MSG_BATCH_END, which the kernel applies
/// all or nothing. Each message asks for an ack, so the sender learns which one failed.
/// </summary>
internal sealed class NftBatch(byte family)
{
    private readonly List<NetlinkRequest> _messages = [];

    public int Count => _messages.Count;

    public NftBatch AddTable(string table)
    {
        var message = Begin(Nft.NFT_MSG_NEWTABLE, Nl.NLM_F_CREATE);
        message.AddString(Nft.NFTA_TABLE_NAME, table);
        AddBigEndian(message, Nft.NFTA_TABLE_FLAGS, 0);
        return this;
    }

    /// <summary>Deletes the table with its chains and rules; the kernel refuses (ENOENT) when there is none.</summary>
    public NftBatch DeleteTable(string table)
    {
        var message = Begin(Nft.NFT_MSG_DELTABLE, 0);
        message.AddString(Nft.NFTA_TABLE_NAME, table);
        return this;
    }

    /// <summary>A chain; a base chain (with <paramref name="hook"/>) lets every packet through that no rule drops.</summary>
    public NftBatch AddChain(string table, string chain, NftHook? hook = null)
    {
        var message = Begin(Nft.NFT_MSG_NEWCHAIN, Nl.NLM_F_CREATE);
        message.AddString(Nft.NFTA_CHAIN_TABLE, table);
        message.AddString(Nft.NFTA_CHAIN_NAME, chain);
        if (hook is not null)
        {
            int nested = message.BeginNested((ushort)(Nft.NFTA_CHAIN_HOOK | Nft.NLA_F_NESTED));
            AddBigEndian(message, Nft.NFTA_HOOK_HOOKNUM, hook.Number);
            AddBigEndian(message, Nft.NFTA_HOOK_PRIORITY, unchecked((uint)hook.Priority));
            message.EndNested(nested);
            AddBigEndian(message, Nft.NFTA_CHAIN_POLICY, Nft.NF_ACCEPT);
            message.AddString(Nft.NFTA_CHAIN_TYPE, hook.Type);
        }
        return this;
    }

    /// <summary>A rule appended to the chain; <paramref name="comment"/> is what `nft list` shows after it.</summary>
    public NftBatch AddRule(string table, string chain, IEnumerable<NftExpression> expressions, string? comment = null)
    {
        var message = Begin(Nft.NFT_MSG_NEWRULE, (ushort)(Nl.NLM_F_CREATE | Nft.NLM_F_APPEND));
        message.AddString(Nft.NFTA_RULE_TABLE, table);
        message.AddString(Nft.NFTA_RULE_CHAIN, chain);
        int list = message.BeginNested((ushort)(Nft.NFTA_RULE_EXPRESSIONS | Nft.NLA_F_NESTED));
        foreach (var expression in expressions) expression.Write(message);
        message.EndNested(list);
        if (comment is not null) message.AddBytes(Nft.NFTA_RULE_USERDATA, CommentUserData(comment));
        return this;
    }

    /// <summary>
    /// The whole batch as one buffer for a single send, its messages numbered from <paramref name="firstSequence"/>:
    /// begin, the messages (acked), end.
    /// </summary>
    public byte[] Encode(uint firstSequence)
    {
        using var buffer = new MemoryStream();
        uint sequence = firstSequence;
        buffer.Write(Control(Nft.NFNL_MSG_BATCH_BEGIN).Complete(sequence++));
        foreach (var message in _messages) buffer.Write(message.Complete(sequence++));
        buffer.Write(Control(Nft.NFNL_MSG_BATCH_END).Complete(sequence));
        return buffer.ToArray();
    }

    /// <summary>The message type of the message at <paramref name="index"/>, for error texts.</summary>
    public ushort TypeAt(int index) => _messages[index].Type;

    private NetlinkRequest Begin(ushort nftMessage, ushort flags)
    {
        var message = new NetlinkRequest(Nft.MessageType(nftMessage), (ushort)(Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | flags));
        message.Write(new NfGenMsg { Family = family, Version = Nft.NFNETLINK_V0 });
        _messages.Add(message);
        return message;
    }

    private static NetlinkRequest Control(ushort type)
    {
        var message = new NetlinkRequest(type, Nl.NLM_F_REQUEST);
        message.Write(new NfGenMsg { Family = Nl.AF_UNSPEC, Version = Nft.NFNETLINK_V0, ResourceId = BinaryPrimitives.ReverseEndianness(Nft.NFNL_SUBSYS_NFTABLES) });
        return message;
    }

    private static void AddBigEndian(NetlinkRequest message, ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        message.AddBytes(type, bytes);
    }

    /// <summary>libnftnl's user data TLV that nft reads as a rule's comment: type, length, NUL-terminated text.</summary>
    private static byte[] CommentUserData(string comment)
    {
        // Whole characters only, within the one-byte length (nft itself allows 128 bytes with the NUL).
        while (Encoding.UTF8.GetByteCount(comment) > 127) comment = comment[..^1];
        byte[] text = Encoding.UTF8.GetBytes(comment);
        var data = new byte[text.Length + 3];
        data[0] = Nft.NFTNL_UDATA_RULE_COMMENT;
        data[1] = (byte)(text.Length + 1);
        text.CopyTo(data, 2);
        return data;
    }
}
