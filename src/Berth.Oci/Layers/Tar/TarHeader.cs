namespace Berth.Oci.Layers.Tar;

/// <summary>
/// One tar entry as the layer code sees it, with PAX and GNU long-name records already folded in.
/// Xattr values are kept as raw bytes (the reason this codec exists, see <see cref="TarStreamReader"/>).
/// </summary>
public sealed record TarHeader
{
    public required string Name { get; init; }
    public required TarEntryType Type { get; init; }
    public string LinkName { get; init; } = "";

    /// <summary>Permission bits including setuid, setgid and sticky (07777).</summary>
    public int Mode { get; init; }

    public long Uid { get; init; }
    public long Gid { get; init; }
    public string UserName { get; init; } = "";
    public string GroupName { get; init; } = "";
    public long Size { get; init; }
    public long ModTimeSeconds { get; init; }
    public uint ModTimeNanoseconds { get; init; }
    public uint DevMajor { get; init; }
    public uint DevMinor { get; init; }

    /// <summary>Extended attributes from PAX <c>SCHILY.xattr.*</c> records, by attribute name.</summary>
    public IReadOnlyDictionary<string, byte[]> Xattrs { get; init; } = EmptyXattrs;

    public static readonly IReadOnlyDictionary<string, byte[]> EmptyXattrs = new Dictionary<string, byte[]>();
}
