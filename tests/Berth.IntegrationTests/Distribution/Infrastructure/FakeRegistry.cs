using System.Collections.Concurrent;
using System.Text;
using Berth.Engine.Distribution.Manifests;
using Berth.Engine.Distribution.Push;
using Berth.Oci.Digests;
using Berth.Oci.Images;

namespace Berth.IntegrationTests.Distribution.Infrastructure;

/// <summary>
/// An in-memory registry speaking enough of the distribution API (manifests, blobs with ranges, uploads) for the client,
/// on a <see cref="FakeHttpServer"/>. <see cref="Intercept"/> answers a request before the registry does: the fault
/// injection point of the tests.
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    private readonly FakeHttpServer _server;
    private readonly ConcurrentDictionary<string, MemoryStream> _uploads = new();

    public FakeRegistry()
    {
        _server = new FakeHttpServer(HandleAsync);
    }

    public string Host => _server.Host;
    public ConcurrentQueue<FakeRequest> Requests => _server.Requests;
    public ConcurrentDictionary<string, byte[]> Blobs { get; } = new();
    public ConcurrentDictionary<string, (byte[] Bytes, string MediaType)> Manifests { get; } = new();
    public Func<FakeRequest, FakeResponse?>? Intercept { get; set; }

    /// <summary>Delay before each blob body, so that concurrent pulls overlap.</summary>
    public TimeSpan BlobDelay { get; set; }

    /// <summary>Publishes a test image under repository:tag as a Docker schema 2 manifest; returns the manifest digest.</summary>
    public string Add(string repository, string tag, TestImage image)
    {
        Blobs[image.Id] = image.Config;
        foreach (var layer in image.Layers) Blobs[layer.BlobDigest] = layer.Blob;
        var blobs = image.Layers.Select(l => new PushBlob(Digest.Parse(l.BlobDigest), l.Blob.Length, MediaTypes.DockerLayerGzip, l.DiffId)).ToList();
        var (bytes, mediaType) = ManifestBuilder.Build(Digest.Parse(image.Id), image.Config.Length, blobs, oci: false);
        return AddManifest(repository, tag, bytes, mediaType);
    }

    public string AddManifest(string repository, string tag, byte[] bytes, string mediaType)
    {
        string digest = Digest.Of(bytes).ToString();
        Manifests[$"{repository}:{tag}"] = (bytes, mediaType);
        Manifests[$"{repository}:{digest}"] = (bytes, mediaType);
        return digest;
    }

    /// <summary>
    /// The first <paramref name="times"/> GETs of <paramref name="layer"/> send <paramref name="cutAfter"/> bytes from
    /// where the request's Range starts, then drop the connection: a pull that resumes asks for the rest.
    /// </summary>
    public void CutLayerDownloads(TestLayer layer, int cutAfter, int times)
    {
        int cuts = 0;
        Intercept = request =>
        {
            if (request.Method != "GET" || !request.Path.EndsWith(layer.BlobDigest, StringComparison.Ordinal) || Interlocked.Increment(ref cuts) > times) return null;
            long from = request.Header("range") is { } range ? long.Parse(range[6..].Split('-')[0]) : 0;
            var partial = new FakeResponse { Status = from > 0 ? 206 : 200, Body = layer.Blob[(int)from..], CutAfter = cutAfter };
            if (from > 0) partial.Headers["Content-Range"] = $"bytes {from}-{layer.Blob.Length - 1}/{layer.Blob.Length}";
            return partial;
        };
    }

    /// <summary>The first <paramref name="times"/> GETs of <paramref name="layer"/> answer 500 with no body.</summary>
    public void FailLayerDownloads(TestLayer layer, int times)
    {
        int failures = 0;
        Intercept = request =>
            request.Method == "GET" && request.Path.EndsWith(layer.BlobDigest, StringComparison.Ordinal) && Interlocked.Increment(ref failures) <= times
                ? new FakeResponse { Status = 500 }
                : null;
    }

    /// <summary>The Range headers of the GETs of <paramref name="layer"/>, in order (null: no Range).</summary>
    public List<string?> RangesAsked(TestLayer layer) =>
        Requests.Where(r => r.Path.EndsWith(layer.BlobDigest, StringComparison.Ordinal)).Select(r => r.Header("range")).ToList();

    /// <summary>Every GET of <paramref name="layer"/> answers a 307 to a new address that redirects again.</summary>
    public void RedirectForever(TestLayer layer)
    {
        Intercept = request =>
        {
            if (!request.Path.Contains("/blobs/" + layer.BlobDigest, StringComparison.Ordinal) && !request.Path.StartsWith("/loop/", StringComparison.Ordinal)) return null;
            var redirect = new FakeResponse { Status = 307 };
            redirect.Headers["Location"] = "/loop/" + Guid.NewGuid().ToString("N");
            return redirect;
        };
    }

    public int CountRequests(string method, string pathContains) =>
        Requests.Count(r => r.Method == method && r.Target.Contains(pathContains, StringComparison.Ordinal));

    private Task<FakeResponse> HandleAsync(FakeRequest request)
    {
        if (Intercept?.Invoke(request) is { } intercepted) return Task.FromResult(intercepted);
        return Task.FromResult(Handle(request));
    }

    private FakeResponse Handle(FakeRequest request)
    {
        string path = request.Path;
        if (path == "/v2/" || path == "/v2") return FakeResponse.Json(200, "{}");
        int manifests = path.IndexOf("/manifests/", StringComparison.Ordinal);
        int blobs = path.IndexOf("/blobs/", StringComparison.Ordinal);
        if (manifests > 0)
        {
            string repository = path[4..manifests], reference = path[(manifests + 11)..];
            if (request.Method == "PUT")
            {
                string digest = AddManifest(repository, reference, request.Body, request.Header("content-type") ?? "");
                var created = new FakeResponse { Status = 201 };
                created.Headers["Docker-Content-Digest"] = digest;
                return created;
            }
            if (!Manifests.TryGetValue($"{repository}:{reference}", out var manifest))
                return FakeResponse.Json(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
            var found = new FakeResponse { Body = manifest.Bytes };
            found.Headers["Content-Type"] = manifest.MediaType;
            found.Headers["Docker-Content-Digest"] = Digest.Of(manifest.Bytes).ToString();
            return found;
        }
        if (blobs > 0 && path.Contains("/blobs/uploads/", StringComparison.Ordinal))
            return Upload(request, path[4..blobs]);
        if (blobs > 0)
        {
            string digest = path[(blobs + 7)..];
            if (!Blobs.TryGetValue(digest, out var blob))
                return FakeResponse.Json(404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}");
            long from = 0;
            if (request.Header("range") is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
                from = long.Parse(range[6..].Split('-')[0]);
            var response = new FakeResponse { Status = from > 0 ? 206 : 200, Body = blob[(int)from..], Delay = BlobDelay };
            response.Headers["Content-Type"] = "application/octet-stream";
            response.Headers["Docker-Content-Digest"] = digest;
            if (from > 0) response.Headers["Content-Range"] = $"bytes {from}-{blob.Length - 1}/{blob.Length}";
            return response;
        }
        return FakeResponse.Json(404, "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"not here\"}]}");
    }

    private FakeResponse Upload(FakeRequest request, string repository)
    {
        string prefix = $"/v2/{repository}/blobs/uploads/";
        string id = request.Path.Length > prefix.Length ? request.Path[prefix.Length..] : "";
        switch (request.Method)
        {
            case "POST":
                if (request.QueryValue("mount") is { } mount && Blobs.ContainsKey(mount))
                {
                    var mounted = new FakeResponse { Status = 201 };
                    mounted.Headers["Docker-Content-Digest"] = mount;
                    return mounted;
                }
                id = Guid.NewGuid().ToString("N");
                _uploads[id] = new MemoryStream();
                return Accepted(prefix + id, 0);
            case "PATCH":
                if (!_uploads.TryGetValue(id, out var upload)) return FakeResponse.Json(404, "{\"errors\":[{\"code\":\"BLOB_UPLOAD_UNKNOWN\",\"message\":\"blob upload unknown\"}]}");
                if (request.Header("content-range") is { } contentRange && long.Parse(contentRange.Split('-')[0]) != upload.Length)
                    return FakeResponse.Json(416, "{\"errors\":[{\"code\":\"BLOB_UPLOAD_INVALID\",\"message\":\"bad range\"}]}");
                upload.Write(request.Body);
                return Accepted(prefix + id, upload.Length);
            case "PUT":
                if (!_uploads.TryRemove(id, out var done)) return FakeResponse.Json(404, "{\"errors\":[{\"code\":\"BLOB_UPLOAD_UNKNOWN\",\"message\":\"blob upload unknown\"}]}");
                done.Write(request.Body);
                string digest = request.QueryValue("digest") ?? "";
                byte[] bytes = done.ToArray();
                if (Digest.Of(bytes).ToString() != digest)
                    return FakeResponse.Json(400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"provided digest did not match uploaded content\"}]}");
                Blobs[digest] = bytes;
                var created = new FakeResponse { Status = 201 };
                created.Headers["Location"] = $"/v2/{repository}/blobs/{digest}";
                created.Headers["Docker-Content-Digest"] = digest;
                return created;
            default:
                return FakeResponse.Json(405, "{}");
        }
    }

    private static FakeResponse Accepted(string location, long received)
    {
        var response = new FakeResponse { Status = 202 };
        response.Headers["Location"] = location;
        response.Headers["Range"] = $"0-{Math.Max(0, received - 1)}";
        response.Headers["Docker-Upload-UUID"] = location.Split('/')[^1];
        return response;
    }

    public static string ErrorJson(string code, string message) => $"{{\"errors\":[{{\"code\":\"{code}\",\"message\":\"{message}\"}}]}}";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
