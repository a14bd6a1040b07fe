using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Oci.Digests;
using Berth.Oci.Images;

namespace Berth.Engine.Plugins.Managed;

/// <summary>
/// The registry form of a plugin: a Docker schema 2 manifest whose config is the plugin's config.json and whose layers
/// are its rootfs (gzip tars). Written as dockerd writes it (compact, mediaType last, "+" unescaped), so the same plugin pushed by
/// either daemon has the same digest.
/// </summary>
public static class PluginManifest
{
    public const string ConfigMediaType = "application/vnd.docker.plugin.v1+json";

    public static byte[] Build(Digest config, long configSize, IReadOnlyList<(Digest Digest, long Size)> layers)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WritePropertyName("config");
            WriteDescriptor(json, ConfigMediaType, config, configSize);
            json.WriteStartArray("layers");
            foreach (var (digest, size) in layers) WriteDescriptor(json, MediaTypes.DockerLayerGzip, digest, size);
            json.WriteEndArray();
            json.WriteString("mediaType", MediaTypes.DockerManifest);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter json, string mediaType, Digest digest, long size)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", mediaType);
        json.WriteString("digest", digest.ToString());
        json.WriteNumber("size", size);
        json.WriteEndObject();
    }
}
