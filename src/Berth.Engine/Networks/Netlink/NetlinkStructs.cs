using System.Runtime.InteropServices;

namespace Berth.Engine.Networks.Netlink;

[StructLayout(LayoutKind.Sequential)]
internal struct NlMsgHdr
{
    public uint Length;
    public ushort Type;
    public ushort Flags;
    public uint Sequence;
    public uint PortId;
}

[StructLayout(LayoutKind.Sequential)]
internal struct IfInfoMsg
{
    public byte Family;
    public byte Pad;
    public ushort Type;
    public int Index;
    public uint Flags;
    public uint Change;
}

[StructLayout(LayoutKind.Sequential)]
internal struct IfAddrMsg
{
    public byte Family;
    public byte PrefixLength;
    public byte Flags;
    public byte Scope;
    public int Index;
}

[StructLayout(LayoutKind.Sequential)]
internal struct RtMsg
{
    public byte Family;
    public byte DestinationLength;
    public byte SourceLength;
    public byte Tos;
    public byte Table;
    public byte Protocol;
    public byte Scope;
    public byte Type;
    public uint Flags;
}

[StructLayout(LayoutKind.Sequential)]
internal struct NdMsg
{
    public byte Family;
    public byte Pad1;
    public ushort Pad2;
    public int Index;
    public ushort State;
    public byte Flags;
    public byte Type;
}
