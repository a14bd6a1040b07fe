using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Engine.Distribution.Push;
using Berth.Oci.Digests;
using Berth.Oci.Images;

namespace Berth.Engine.Distribution.Manifests;

/// <summary>
/// Writes image manifests for push: Docker schema 2 laid out as Docker writes it (three-space indent, mediaType /
/// size / digest, "+" unescaped as Go leaves it), or OCI (mediaType / digest / size). Same inputs, same bytes, same digest.
/// </summary>
public static class ManifestBuilder
{
    public static (byte[] Bytes, string MediaType) Build(Digest config, long configSize, IReadOnlyList<PushBlob> layers, bool oci)
    {
        string mediaType = oci ? MediaTypes.OciManifest : MediaTypes.DockerManifest;
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 3, IndentCharacter = ' ', Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", mediaType);
            json.WritePropertyName("config");
            WriteDescriptor(json, oci ? MediaTypes.OciConfig : MediaTypes.DockerConfig, config, configSize, oci);
            json.WriteStartArray("layers");
            foreach (var layer in layers) WriteDescriptor(json, layer.MediaType, layer.Digest, layer.Size, oci);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return (buffer.ToArray(), mediaType);
    }

    private static void WriteDescriptor(Utf8JsonWriter json, string mediaType, Digest digest, long size, bool oci)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", mediaType);
        if (oci)
        {
            json.WriteString("digest", digest.ToString());
            json.WriteNumber("size", size);
        }
        else
        {
            json.WriteNumber("size", size);
            json.WriteString("digest", digest.ToString());
        }
        json.WriteEndObject();
    }
}
