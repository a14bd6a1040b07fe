using System.Runtime.InteropServices;

namespace Berth.Engine.Networks.Netlink;

/// <summary>
/// A veth pair to create in one RTM_NEWLINK: the host end (optionally attached to a bridge and marked with an alias)
/// and the peer, which can be created directly inside another network namespace under its final name.
/// </summary>
public sealed record VethPair(string Name, string PeerName)
{
    public int Mtu { get; init; }
    /// <summary>Index of the bridge to attach the host end to; 0 for none.</summary>
    public int MasterIndex { get; init; }
    public bool Up { get; init; }
    /// <summary>Brings the peer up at creation; not with <see cref="PeerNamespace"/>: Linux 6.18 answers ENOTCONN.
    /// Bring such a peer up from a socket opened in its namespace instead.</summary>
    public bool PeerUp { get; init; }
    public MacAddress? PeerMac { get; init; }
    /// <summary>An open network namespace file the peer is created in; null keeps it beside the host end.</summary>
    public SafeHandle? PeerNamespace { get; init; }
}
