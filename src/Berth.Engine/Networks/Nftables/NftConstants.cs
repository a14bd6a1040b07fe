namespace Berth.Engine.Networks.Nftables;

/// <summary>Numbers from linux/netfilter/nfnetlink.h, linux/netfilter/nf_tables.h and linux/netfilter.h.</summary>
internal static class Nft
{
    public const int NETLINK_NETFILTER = 12;

    // nfnetlink batches
    public const ushort NFNL_MSG_BATCH_BEGIN = 16;
    public const ushort NFNL_MSG_BATCH_END = 17;
    public const ushort NFNL_SUBSYS_NFTABLES = 10;
    public const byte NFNETLINK_V0 = 0;

    // nf_tables message types (the low byte of nlmsg_type; the subsystem is the high byte)
    public const ushort NFT_MSG_NEWTABLE = 0;
    public const ushort NFT_MSG_DELTABLE = 2;
    public const ushort NFT_MSG_NEWCHAIN = 3;
    public const ushort NFT_MSG_NEWRULE = 6;

    public const ushort NLM_F_APPEND = 0x800;
    public const ushort NLA_F_NESTED = 0x8000;

    // protocol families
    public const byte NFPROTO_IPV4 = 2;
    public const byte NFPROTO_IPV6 = 10;

    // hooks and verdicts
    public const uint NF_INET_FORWARD = 2;
    public const uint NF_INET_POST_ROUTING = 4;
    public const int NF_DROP = 0;
    public const int NF_ACCEPT = 1;
    public const int NFT_JUMP = -3;

    // table, chain and rule attributes
    public const ushort NFTA_TABLE_NAME = 1;
    public const ushort NFTA_TABLE_FLAGS = 2;
    public const ushort NFTA_CHAIN_TABLE = 1;
    public const ushort NFTA_CHAIN_NAME = 3;
    public const ushort NFTA_CHAIN_HOOK = 4;
    public const ushort NFTA_CHAIN_POLICY = 5;
    public const ushort NFTA_CHAIN_TYPE = 7;
    public const ushort NFTA_HOOK_HOOKNUM = 1;
    public const ushort NFTA_HOOK_PRIORITY = 2;
    public const ushort NFTA_RULE_TABLE = 1;
    public const ushort NFTA_RULE_CHAIN = 2;
    public const ushort NFTA_RULE_EXPRESSIONS = 4;
    public const ushort NFTA_RULE_USERDATA = 7;
    public const byte NFTNL_UDATA_RULE_COMMENT = 0;

    // expressions
    public const ushort NFTA_LIST_ELEM = 1;
    public const ushort NFTA_EXPR_NAME = 1;
    public const ushort NFTA_EXPR_DATA = 2;
    public const ushort NFTA_DATA_VALUE = 1;
    public const ushort NFTA_DATA_VERDICT = 2;
    public const ushort NFTA_VERDICT_CODE = 1;
    public const ushort NFTA_VERDICT_CHAIN = 2;
    public const ushort NFTA_META_DREG = 1;
    public const ushort NFTA_META_KEY = 2;
    public const ushort NFTA_CMP_SREG = 1;
    public const ushort NFTA_CMP_OP = 2;
    public const ushort NFTA_CMP_DATA = 3;
    public const ushort NFTA_PAYLOAD_DREG = 1;
    public const ushort NFTA_PAYLOAD_BASE = 2;
    public const ushort NFTA_PAYLOAD_OFFSET = 3;
    public const ushort NFTA_PAYLOAD_LEN = 4;
    public const ushort NFTA_BITWISE_SREG = 1;
    public const ushort NFTA_BITWISE_DREG = 2;
    public const ushort NFTA_BITWISE_LEN = 3;
    public const ushort NFTA_BITWISE_MASK = 4;
    public const ushort NFTA_BITWISE_XOR = 5;
    public const ushort NFTA_IMMEDIATE_DREG = 1;
    public const ushort NFTA_IMMEDIATE_DATA = 2;
    public const ushort NFTA_CT_DREG = 1;
    public const ushort NFTA_CT_KEY = 2;

    public const uint NFT_REG_VERDICT = 0;
    public const uint NFT_REG_1 = 1;
    public const uint NFT_META_IIFNAME = 6;
    public const uint NFT_META_OIFNAME = 7;
    public const uint NFT_CMP_EQ = 0;
    public const uint NFT_CMP_NEQ = 1;
    public const uint NFT_PAYLOAD_NETWORK_HEADER = 1;
    public const uint NFT_CT_STATE = 0;

    // ct state bits: NF_CT_STATE_BIT(IP_CT_ESTABLISHED) and NF_CT_STATE_BIT(IP_CT_RELATED)
    public const uint CT_STATE_ESTABLISHED = 1 << 1;
    public const uint CT_STATE_RELATED = 1 << 2;

    public const int IFNAMSIZ = 16;

    public static ushort MessageType(ushort nftMessage) => (ushort)((NFNL_SUBSYS_NFTABLES << 8) | nftMessage);

    public static string Name(ushort type) => type == NFNL_MSG_BATCH_BEGIN ? "NFNL_MSG_BATCH_BEGIN" : (type & 0xFF) switch
    {
        NFT_MSG_NEWTABLE => "NFT_MSG_NEWTABLE",
        NFT_MSG_DELTABLE => "NFT_MSG_DELTABLE",
        NFT_MSG_NEWCHAIN => "NFT_MSG_NEWCHAIN",
        NFT_MSG_NEWRULE => "NFT_MSG_NEWRULE",
        _ => "nf_tables message " + (type & 0xFF),
    };
}
