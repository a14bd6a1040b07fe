using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Layers.Tar;

namespace Berth.Oci.Layers;

/// <summary>Writes uncompressed layer tars: of a whole tree (export, import) or of a container's overlay changes (commit).</summary>
public static class LayerWriter
{
    /// <summary>
    /// Writes every file under <paramref name="dir"/> (not the directory itself) as a tar to <paramref name="output"/>,
    /// sorted by name, with owners, modes, times, xattrs, devices, and hard links as link entries. Returns the
    /// sha256 of the tar. <paramref name="output"/> is flushed, not closed.
    /// </summary>
    public static Task<Digest> WriteDirectoryAsync(string dir, Stream output, CancellationToken cancellationToken) =>
        WriteAsync(dir, output, overlay: false, OwnerNames.Host, cancellationToken);

    /// <summary>Writes a directory tree as a plain tar whose owner names come from <paramref name="names"/>.</summary>
    public static Task<Digest> WriteDirectoryAsync(string dir, Stream output, OwnerNames names, CancellationToken cancellationToken) =>
        WriteAsync(dir, output, overlay: false, names, cancellationToken);

    /// <summary>
    /// Writes an overlayfs upper dir as an image layer: whiteout devices become <c>.wh.name</c> entries and opaque
    /// directories get a <c>.wh..wh..opq</c> entry. Returns the layer's diff ID.
    /// </summary>
    public static Task<Digest> WriteOverlayDiffAsync(string upperDir, Stream output, CancellationToken cancellationToken) =>
        WriteAsync(upperDir, output, overlay: true, OwnerNames.Host, cancellationToken);

    private static async Task<Digest> WriteAsync(string root, Stream output, bool overlay, OwnerNames names, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root)) throw BerthException.NotFound($"directory \"{root}\": not found");
        await using var digesting = new DigestingStream(output, leaveOpen: true);
        await using var buffered = new BufferedStream(digesting, 1 << 16);
        var writer = new TarStreamWriter(buffered);
        await new TreeArchiver(writer, overlay, names).WriteTreeAsync(root, cancellationToken);
        await writer.FinishAsync(cancellationToken);
        return digesting.Digest;
    }
}
