using System.IO.Compression;
using System.Text.Json;
using Berth.Api;
using Berth.Oci.Layers;

namespace Berth.Engine.Plugins.Managed;

/// <summary>
/// Turns a plugin made here (from a directory) into its registry form: the rootfs as one gzip tar blob and the config
/// as a blob naming it. As dockerd 20.10 does, the config's diff ID is the digest of that gzip blob, so a plugin
/// created by either daemon carries the same kind of config.
/// </summary>
internal static class PluginPacker
{
    /// <summary>Packs <paramref name="rootfs"/> into the store and sets <paramref name="config"/>'s rootfs; the blobs are pinned by <paramref name="pins"/>.</summary>
    public static async Task<PluginBlobs> PackAsync(PluginStore store, string rootfs, PluginConfig config, List<IDisposable> pins, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(store.Tmp);
        string temp = Path.Combine(store.Tmp, Guid.NewGuid().ToString("N") + ".tar.gz");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await using (var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
                await LayerWriter.WriteDirectoryAsync(rootfs, gzip, cancellationToken);
            var layer = await WriteFileAsync(store, temp, pins, cancellationToken);
            config.Rootfs = new PluginRootfs { Type = "layers", DiffIds = [layer.Digest.ToString()] };
            byte[] configBytes = JsonSerializer.SerializeToUtf8Bytes(config, ApiJsonContext.Default.PluginConfig);
            pins.Add(store.Pin(Oci.Digests.Digest.Of(configBytes).ToString()));
            var configBlob = await store.Content.WriteAsync(configBytes, cancellationToken);
            return new PluginBlobs { Config = configBlob.Digest.ToString(), Layers = [layer.Digest.ToString()] };
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static async Task<Oci.Content.BlobInfo> WriteFileAsync(PluginStore store, string path, List<IDisposable> pins, CancellationToken cancellationToken)
    {
        Oci.Digests.Digest digest;
        await using (var read = File.OpenRead(path))
            digest = await Oci.Digests.Digest.OfAsync(read, cancellationToken);
        pins.Add(store.Pin(digest.ToString()));
        await using var input = File.OpenRead(path);
        return await store.Content.WriteAsync(input, digest, null, cancellationToken);
    }
}
