namespace Berth.Oci.Layers;

public enum CompressionKind
{
    None,
    Gzip,
    Zstd,
    Xz,
    Bzip2,
}
