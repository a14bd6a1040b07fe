using System.Text;
using Berth.Engine.Distribution.Manifests;
using Berth.Engine.Distribution.Push;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Images;

namespace Berth.Tests.Distribution;

public class ManifestParserTests
{
    private static readonly string A = "sha256:" + new string('a', 64);
    private static readonly string B = "sha256:" + new string('b', 64);

    private static ParsedManifest Parse(string json, string? contentType) =>
        ManifestParser.Parse(Encoding.UTF8.GetBytes(json), contentType, Digest.Of(Encoding.UTF8.GetBytes(json)), "localhost:5000/app:1");

    [Fact]
    public void Docker_schema_2_manifest_by_content_type()
    {
        var manifest = Parse($"{{\"schemaVersion\":2,\"config\":{{\"mediaType\":\"x\",\"digest\":\"{A}\",\"size\":10}},\"layers\":[{{\"digest\":\"{B}\",\"size\":5}}]}}", MediaTypes.DockerManifest + "; charset=utf-8");
        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.False(manifest.IsIndex);
        Assert.Equal(A, manifest.Config.Digest);
        Assert.Equal(5, Assert.Single(manifest.Layers).Size);
    }

    [Fact]
    public void Media_type_from_the_document_when_the_header_is_generic()
    {
        var index = Parse($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.DockerManifestList}\",\"manifests\":[{{\"digest\":\"{A}\",\"size\":3,\"platform\":{{\"os\":\"linux\",\"architecture\":\"amd64\"}}}}]}}", "application/octet-stream");
        Assert.True(index.IsIndex);
        Assert.Equal(MediaTypes.DockerManifestList, index.MediaType);
        Assert.Equal("amd64", index.Manifests[0].Platform!.Architecture);
        var oci = Parse($"{{\"schemaVersion\":2,\"manifests\":[]}}", null);
        Assert.Equal(MediaTypes.OciIndex, oci.MediaType);
    }

    [Theory]
    [InlineData(MediaTypes.DockerSchema1SignedManifest, "{\"schemaVersion\":1,\"name\":\"app\",\"tag\":\"1\",\"fsLayers\":[]}")]
    [InlineData("application/json", "{\"schemaVersion\":1,\"name\":\"app\",\"tag\":\"1\",\"fsLayers\":[]}")]
    [InlineData(MediaTypes.DockerSchema1Manifest, "{}")]
    public void Schema_1_is_refused_clearly(string contentType, string json)
    {
        var error = Assert.Throws<BerthException>(() => Parse(json, contentType));
        Assert.Contains("schema 1", error.Message);
        Assert.Contains("localhost:5000/app:1", error.Message);
    }

    [Theory]
    [InlineData("<html>not json</html>")]
    [InlineData("")]
    public void Not_JSON_is_invalid(string body)
    {
        var error = Assert.Throws<BerthException>(() => Parse(body, MediaTypes.DockerManifest));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:zz\",\"size\":1},\"layers\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"layers\":[]}")]
    public void Malformed_descriptors_are_invalid(string json) =>
        Assert.Throws<BerthException>(() => Parse(json, MediaTypes.OciManifest));

    [Fact]
    public void Unknown_media_type_is_refused() =>
        Assert.Contains("unsupported media type", Assert.Throws<BerthException>(() => Parse("{\"schemaVersion\":2}", "text/html")).Message);

    [Fact]
    public void Built_manifests_are_Docker_shaped_and_deterministic()
    {
        var layers = new[] { new PushBlob(Digest.Parse(B), 5, MediaTypes.DockerLayerGzip, null) };
        var (bytes, mediaType) = ManifestBuilder.Build(Digest.Parse(A), 10, layers, oci: false);
        Assert.Equal(MediaTypes.DockerManifest, mediaType);
        string text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",\n   \"config\": {\n      \"mediaType\": \"application/vnd.docker.container.image.v1+json\",\n      \"size\": 10,", text.Replace("\r\n", "\n"));
        Assert.Equal(bytes, ManifestBuilder.Build(Digest.Parse(A), 10, layers, oci: false).Bytes);
        var parsed = ManifestParser.Parse(bytes, mediaType, Digest.Of(bytes), "x");
        Assert.Equal(B, parsed.Layers[0].Digest);

        var (ociBytes, ociType) = ManifestBuilder.Build(Digest.Parse(A), 10, [], oci: true);
        Assert.Equal(MediaTypes.OciManifest, ociType);
        Assert.Contains("\"layers\": []", Encoding.UTF8.GetString(ociBytes));
    }
}
