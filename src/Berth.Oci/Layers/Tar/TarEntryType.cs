namespace Berth.Oci.Layers.Tar;

/// <summary>The kinds of file a tar entry describes (the header types that are metadata, such as PAX, are handled inside the codec).</summary>
public enum TarEntryType
{
    RegularFile,
    HardLink,
    Symlink,
    CharDevice,
    BlockDevice,
    Directory,
    Fifo,
}
