using System.Text.Json.Serialization;

namespace Berth.Engine.Plugins.Managed;

/// <summary>
/// A plugin in its registry form, kept beside its unpacked rootfs so that a push sends exactly the bytes it was
/// installed (or created) with: the digest of its config blob and of its rootfs layer blobs (gzip tars), all held in
/// the plugins' content store.
/// </summary>
public sealed class PluginBlobs
{
    public string Config { get; set; } = "";

    public List<string> Layers { get; set; } = [];

    public IEnumerable<string> All => Layers.Prepend(Config);
}

[JsonSerializable(typeof(PluginBlobs))]
internal sealed partial class PluginBlobsJsonContext : JsonSerializerContext;
