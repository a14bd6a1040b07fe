using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Berth.Registry.Tests.Infrastructure;

/// <summary>Small spec-level helpers over HttpClient: push a blob or manifest, read an error code.</summary>
public sealed class RegistryHttp(Uri baseUri) : IDisposable
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    public HttpClient Client { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 64 })
    {
        BaseAddress = baseUri,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public void Dispose() => Client.Dispose();

    public static string Unique(string prefix) => $"{prefix}/r{Guid.NewGuid():N}"[..(prefix.Length + 12)];

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (content is null && headers.Any(h => h.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))) request.Content = new ByteArrayContent([]);
        foreach (var (name, value) in headers)
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content!.Headers.TryAddWithoutValidation(name, value);
        return Client.SendAsync(request);
    }

    public static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>POST then PUT with the whole blob: the upload every registry supports.</summary>
    public async Task<string> PushBlobAsync(string name, byte[] blob)
    {
        string digest = OciLayout.Sha256(blob);
        using var start = await SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        using var put = await SendAsync(HttpMethod.Put, WithQuery(Location(start), "digest=" + digest), Octets(blob));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return digest;
    }

    public async Task<HttpResponseMessage> PutManifestAsync(string name, string reference, byte[] manifest, string mediaType)
    {
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await SendAsync(HttpMethod.Put, $"/v2/{name}/manifests/{reference}", content);
    }

    /// <summary>Pushes a config and one layer and an OCI (or Docker schema 2) manifest for them; returns the manifest bytes and digest.</summary>
    public async Task<(byte[] Manifest, string Digest, string LayerDigest, byte[] Layer)> PushImageAsync(string name, string tag, int seed, string? subject = null, string? artifactType = null, string manifestType = OciManifest)
    {
        bool docker = manifestType == DockerManifest;
        string configType = docker ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json";
        string layerType = docker ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar+gzip";
        byte[] config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{"Env":["S={{{seed}}}"]}}""");
        byte[] layer = OciLayout.RandomBytes(1000 + seed, seed);
        string configDigest = await PushBlobAsync(name, config);
        string layerDigest = await PushBlobAsync(name, layer);
        string subjectJson = subject is null ? "" : $$$""","subject":{"mediaType":"{{{OciManifest}}}","digest":"{{{subject}}}","size":100}""";
        string artifactJson = artifactType is null ? "" : ",\"artifactType\":\"" + artifactType + "\"";
        byte[] manifest = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{manifestType}}}"{{{artifactJson}}},"config":{"mediaType":"{{{configType}}}","digest":"{{{configDigest}}}","size":{{{config.Length}}}},"layers":[{"mediaType":"{{{layerType}}}","digest":"{{{layerDigest}}}","size":{{{layer.Length}}}}]{{{subjectJson}}},"annotations":{"seed":"{{{seed}}}"}}""");
        using var response = await PutManifestAsync(name, tag, manifest, manifestType);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (manifest, OciLayout.Sha256(manifest), layerDigest, layer);
    }

    public static string Location(HttpResponseMessage response) =>
        response.Headers.Location?.ToString() ?? throw new Xunit.Sdk.XunitException($"no Location header in {(int)response.StatusCode} answer");

    public static string WithQuery(string location, string query) => location + (location.Contains('?') ? "&" : "?") + query;

    public static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        if (body.Length == 0) return null;
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? contentValues.FirstOrDefault() : null;
}
