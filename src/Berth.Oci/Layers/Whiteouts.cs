namespace Berth.Oci.Layers;

/// <summary>
/// The two spellings of a deletion. In image layers (OCI, from AUFS): a file <c>dir/.wh.name</c> deletes
/// <c>dir/name</c>, and <c>dir/.wh..wh..opq</c> hides everything lower layers had in <c>dir</c>. On disk, for
/// overlayfs: a 0/0 character device <c>dir/name</c>, and the xattr <c>trusted.overlay.opaque=y</c> on <c>dir</c>.
/// </summary>
public static class Whiteouts
{
    public const string Prefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>AUFS kept its own bookkeeping under names starting so (e.g. <c>.wh..wh.plnk</c>); Docker skips them.</summary>
    public const string MetaPrefix = ".wh..wh.";

    public const string OpaqueXattr = "trusted.overlay.opaque";

    /// <summary>
    /// overlayfs's own xattrs (opaque, redirect, origin, metacopy...). They are never copied between a tar and
    /// the disk: taken from an archive they could steer overlayfs, written to one they are meaningless elsewhere.
    /// </summary>
    public static bool IsOverlayXattr(string name) =>
        name.StartsWith("trusted.overlay.", StringComparison.Ordinal) || name.StartsWith("user.overlay.", StringComparison.Ordinal);
}
