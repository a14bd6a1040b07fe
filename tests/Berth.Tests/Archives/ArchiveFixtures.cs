using System.Text;
using Berth.Oci.Digests;
using Berth.Tests.Layers;

namespace Berth.Tests.Archives;

/// <summary>Small layers, configs and hand-laid-out archives for the archive tests.</summary>
internal static class ArchiveFixtures
{
    public static byte[] Layer(string file, string content) => new TestTar().Dir("etc").File("etc/" + file, content).ToArray();

    public static byte[] Config(params byte[][] layers) => Encoding.UTF8.GetBytes(
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
        + string.Join(',', layers.Select(l => $"\"{Digest.Of(l)}\""))
        + "]}}");

    public static string Hex(byte[] content) => Digest.Of(content).Hex;

    /// <summary>The legacy layout dockerd 20.10 writes: &lt;id&gt;/layer.tar, &lt;config&gt;.json, manifest.json.</summary>
    public static TestTar Legacy(byte[] config, string[] tags, params byte[][] layers)
    {
        var tar = new TestTar();
        foreach (var layer in layers) tar.Dir(Hex(layer)).File(Hex(layer) + "/layer.tar", layer).File(Hex(layer) + "/VERSION", "1.0");
        tar.File(Hex(config) + ".json", config);
        string tagsJson = tags.Length == 0 ? "null" : "[" + string.Join(',', tags.Select(t => $"\"{t}\"")) + "]";
        string layersJson = "[" + string.Join(',', layers.Select(l => $"\"{Hex(l)}/layer.tar\"")) + "]";
        return tar.File("manifest.json", $"[{{\"Config\":\"{Hex(config)}.json\",\"RepoTags\":{tagsJson},\"Layers\":{layersJson}}}]");
    }
}
