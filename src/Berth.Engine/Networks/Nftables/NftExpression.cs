using System.Buffers.Binary;
using Berth.Engine.Networks.Netlink;

namespace Berth.Engine.Networks.Nftables;

/// <summary>
/// One nf_tables expression of a rule, as the kernel's VM runs it: loads into register 1, compares, verdicts.
/// Numbers in attributes are big-endian; loaded data keeps the byte order it has in the packet or the kernel.
/// </summary>
internal abstract record NftExpression
{
    protected abstract string Name { get; }

    protected abstract void WriteData(NetlinkRequest message);

    public void Write(NetlinkRequest message)
    {
        int element = message.BeginNested((ushort)(Nft.NFTA_LIST_ELEM | Nft.NLA_F_NESTED));
        message.AddString(Nft.NFTA_EXPR_NAME, Name);
        int data = message.BeginNested((ushort)(Nft.NFTA_EXPR_DATA | Nft.NLA_F_NESTED));
        WriteData(message);
        message.EndNested(data);
        message.EndNested(element);
    }

    protected static void AddBigEndian(NetlinkRequest message, ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        message.AddBytes(type, bytes);
    }

    /// <summary>An NFTA_DATA_VALUE nested in <paramref name="type"/>.</summary>
    protected static void AddValue(NetlinkRequest message, ushort type, ReadOnlySpan<byte> value)
    {
        int nested = message.BeginNested((ushort)(type | Nft.NLA_F_NESTED));
        message.AddBytes(Nft.NFTA_DATA_VALUE, value);
        message.EndNested(nested);
    }
}

/// <summary><c>meta load iifname|oifname => reg 1</c>.</summary>
internal sealed record NftMetaLoad(uint Key) : NftExpression
{
    protected override string Name => "meta";

    protected override void WriteData(NetlinkRequest message)
    {
        AddBigEndian(message, Nft.NFTA_META_DREG, Nft.NFT_REG_1);
        AddBigEndian(message, Nft.NFTA_META_KEY, Key);
    }
}

/// <summary><c>ct load state => reg 1</c>.</summary>
internal sealed record NftCtLoad(uint Key) : NftExpression
{
    protected override string Name => "ct";

    protected override void WriteData(NetlinkRequest message)
    {
        AddBigEndian(message, Nft.NFTA_CT_DREG, Nft.NFT_REG_1);
        AddBigEndian(message, Nft.NFTA_CT_KEY, Key);
    }
}

/// <summary><c>payload load LEN @ network header + OFFSET => reg 1</c>.</summary>
internal sealed record NftPayloadLoad(uint Base, uint Offset, uint Length) : NftExpression
{
    protected override string Name => "payload";

    protected override void WriteData(NetlinkRequest message)
    {
        AddBigEndian(message, Nft.NFTA_PAYLOAD_DREG, Nft.NFT_REG_1);
        AddBigEndian(message, Nft.NFTA_PAYLOAD_BASE, Base);
        AddBigEndian(message, Nft.NFTA_PAYLOAD_OFFSET, Offset);
        AddBigEndian(message, Nft.NFTA_PAYLOAD_LEN, Length);
    }
}

/// <summary><c>bitwise reg 1 = (reg 1 &amp; MASK) ^ 0</c>.</summary>
internal sealed record NftBitwiseAnd(byte[] Mask) : NftExpression
{
    protected override string Name => "bitwise";

    protected override void WriteData(NetlinkRequest message)
    {
        AddBigEndian(message, Nft.NFTA_BITWISE_SREG, Nft.NFT_REG_1);
        AddBigEndian(message, Nft.NFTA_BITWISE_DREG, Nft.NFT_REG_1);
        AddBigEndian(message, Nft.NFTA_BITWISE_LEN, (uint)Mask.Length);
        AddValue(message, Nft.NFTA_BITWISE_MASK, Mask);
        AddValue(message, Nft.NFTA_BITWISE_XOR, new byte[Mask.Length]);
    }
}

/// <summary><c>cmp eq|neq reg 1 DATA</c>.</summary>
internal sealed record NftCompare(uint Operation, byte[] Data) : NftExpression
{
    protected override string Name => "cmp";

    protected override void WriteData(NetlinkRequest message)
    {
        AddBigEndian(message, Nft.NFTA_CMP_SREG, Nft.NFT_REG_1);
        AddBigEndian(message, Nft.NFTA_CMP_OP, Operation);
        AddValue(message, Nft.NFTA_CMP_DATA, Data);
    }
}

/// <summary><c>immediate reg 0 accept|drop|jump CHAIN</c>.</summary>
internal sealed record NftVerdict(int Code, string? Chain = null) : NftExpression
{
    protected override string Name => "immediate";

    protected override void WriteData(NetlinkRequest message)
    {
        AddBigEndian(message, Nft.NFTA_IMMEDIATE_DREG, Nft.NFT_REG_VERDICT);
        int data = message.BeginNested((ushort)(Nft.NFTA_IMMEDIATE_DATA | Nft.NLA_F_NESTED));
        int verdict = message.BeginNested((ushort)(Nft.NFTA_DATA_VERDICT | Nft.NLA_F_NESTED));
        AddBigEndian(message, Nft.NFTA_VERDICT_CODE, unchecked((uint)Code));
        if (Chain is not null) message.AddString(Nft.NFTA_VERDICT_CHAIN, Chain);
        message.EndNested(verdict);
        message.EndNested(data);
    }
}

/// <summary><c>masq</c>: source NAT to the address of the outgoing interface.</summary>
internal sealed record NftMasquerade : NftExpression
{
    protected override string Name => "masq";

    protected override void WriteData(NetlinkRequest message)
    {
    }
}
