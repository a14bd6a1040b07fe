using Berth.Engine.Networks.Netlink;

namespace Berth.Engine.Networks.Nftables;

/// <summary>Numbers from linux/netfilter/nf_tables.h and linux/netfilter.h for destination NAT.</summary>
internal static class NftNat
{
    public const uint NF_INET_LOCAL_OUT = 3;

    public const ushort NFTA_NG_DREG = 1;
    public const ushort NFTA_NG_MODULUS = 2;
    public const ushort NFTA_NG_TYPE = 3;
    public const ushort NFTA_NG_OFFSET = 4;
    public const uint NFT_NG_RANDOM = 1;

    public const ushort NFTA_NAT_TYPE = 1;
    public const ushort NFTA_NAT_FAMILY = 2;
    public const ushort NFTA_NAT_REG_ADDR_MIN = 3;
    public const uint NFT_NAT_DNAT = 1;
}

/// <summary><c>immediate reg 1 DATA</c>: a constant (an address) into register 1.</summary>
internal sealed record NftLoadImmediate(byte[] Data) : NftExpression
{
    protected override string Name => "immediate";

    protected override void WriteData(NetlinkRequest message)
    {
        AddBigEndian(message, Nft.NFTA_IMMEDIATE_DREG, Nft.NFT_REG_1);
        AddValue(message, Nft.NFTA_IMMEDIATE_DATA, Data);
    }
}

/// <summary><c>numgen reg 1 = random mod MODULUS</c>: a number below the modulus, drawn afresh for each packet.</summary>
internal sealed record NftRandomNumber(uint Modulus) : NftExpression
{
    protected override string Name => "numgen";

    protected override void WriteData(NetlinkRequest message)
    {
        AddBigEndian(message, NftNat.NFTA_NG_DREG, Nft.NFT_REG_1);
        AddBigEndian(message, NftNat.NFTA_NG_MODULUS, Modulus);
        AddBigEndian(message, NftNat.NFTA_NG_TYPE, NftNat.NFT_NG_RANDOM);
        AddBigEndian(message, NftNat.NFTA_NG_OFFSET, 0);
    }
}

/// <summary><c>nat dnat ip addr_min reg 1</c>: the destination address becomes register 1's, the port stays.</summary>
internal sealed record NftDestinationNat : NftExpression
{
    protected override string Name => "nat";

    protected override void WriteData(NetlinkRequest message)
    {
        AddBigEndian(message, NftNat.NFTA_NAT_TYPE, NftNat.NFT_NAT_DNAT);
        AddBigEndian(message, NftNat.NFTA_NAT_FAMILY, Nft.NFPROTO_IPV4);
        AddBigEndian(message, NftNat.NFTA_NAT_REG_ADDR_MIN, Nft.NFT_REG_1);
    }
}
