using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Registry.Tests.Infrastructure;

namespace Berth.Registry.Tests.Conformance;

/// <summary>Bad input against berth-registry: each answered with the spec's error, and nothing stored that should not be.</summary>
public sealed class BadInputTests(BerthRegistryFixture fixture) : IClassFixture<BerthRegistryFixture>, IDisposable
{
    private readonly RegistryHttp _http = new(fixture.Registry.BaseUri);

    public void Dispose() => _http.Dispose();

    /// <summary>HttpClient normalises "..", so the request is written by hand.</summary>
    private async Task<string> RawAsync(string requestLine)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, fixture.Registry.BaseUri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{requestLine} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Kestrel removes dot segments before routing (RFC 3986), so "a/../b" is repository "b" and "/v2/../x" leaves /v2.</summary>
    [Theory]
    [InlineData("GET /v2/a/../b/manifests/latest")]
    [InlineData("GET /v2/../etc/tags/list")]
    [InlineData("PUT /v2/a/%2e%2e/%2e%2e/%2e%2e/escape/manifests/latest")]
    public async Task Dot_segments_never_reach_storage(string requestLine)
    {
        string response = await RawAsync(requestLine);
        Assert.Matches("^HTTP/1.1 4[0-9][0-9]", response);
        Assert.False(Directory.Exists(Path.Combine(fixture.Registry.Root, "escape")));
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(fixture.Registry.Root)!, "escape")));
    }

    [Theory]
    [InlineData("POST /v2/x/..%2f..%2fescape/blobs/uploads/")]
    [InlineData("GET /v2/UPPER/manifests/latest")]
    [InlineData("GET /v2/a//b/manifests/latest")]
    public async Task Names_that_are_not_in_the_grammar_are_name_invalid(string requestLine)
    {
        string response = await RawAsync(requestLine);
        Assert.StartsWith("HTTP/1.1 400", response);
        Assert.Contains("NAME_INVALID", response);
        Assert.False(Directory.Exists(Path.Combine(fixture.Registry.Root, "escape")));
        Assert.False(Directory.Exists(Path.Combine(fixture.Registry.Root, "repositories", "..", "escape")));
    }

    [Fact]
    public async Task Oversized_manifest_is_refused_with_413()
    {
        string name = RegistryHttp.Unique("bad/large");
        byte[] manifest = new byte[5 << 20];
        Array.Fill(manifest, (byte)' ');
        using var put = await _http.PutManifestAsync(name, "v1", manifest, RegistryHttp.OciManifest);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, put.StatusCode);
        Assert.Equal("SIZE_INVALID", await RegistryHttp.ErrorCodeAsync(put));
        using var get = await _http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData("bytes=abc")]
    [InlineData("bytes=50-10")]
    [InlineData("bytes=5000-6000")]
    [InlineData("items=0-1")]
    public async Task Bad_ranges_are_416(string range)
    {
        string name = RegistryHttp.Unique("bad/range");
        string digest = await _http.PushBlobAsync(name, OciLayout.RandomBytes(1000, 1));
        using var get = await _http.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{digest}", null, ("Range", range));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, get.StatusCode);
        Assert.Equal("bytes */1000", RegistryHttp.Header(get, "Content-Range"));
    }

    [Theory]
    [InlineData("sha256:short")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    public async Task Malformed_digests_are_digest_invalid(string digest)
    {
        string name = RegistryHttp.Unique("bad/digest");
        using var blob = await _http.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.BadRequest, blob.StatusCode);
        Assert.Equal("DIGEST_INVALID", await RegistryHttp.ErrorCodeAsync(blob));
        using var post = await _http.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/?digest={digest}", RegistryHttp.Octets([1, 2, 3]));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal("DIGEST_INVALID", await RegistryHttp.ErrorCodeAsync(post));
    }

    [Fact]
    public async Task Chunk_whose_content_range_disagrees_with_its_length_is_refused_and_not_kept()
    {
        string name = RegistryHttp.Unique("bad/chunk");
        using var start = await _http.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/");
        string location = RegistryHttp.Location(start);
        using var patch = await _http.SendAsync(HttpMethod.Patch, location, RegistryHttp.Octets(new byte[50]), ("Content-Range", "0-99"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, patch.StatusCode);
        using var status = await _http.SendAsync(HttpMethod.Get, location);
        Assert.Equal("0-0", RegistryHttp.Header(status, "Range"));
    }

    [Fact]
    public async Task Truncated_chunk_leaves_the_session_at_its_last_complete_size()
    {
        string name = RegistryHttp.Unique("bad/truncated");
        using var start = await _http.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/");
        string location = RegistryHttp.Location(start);
        using var first = await _http.SendAsync(HttpMethod.Patch, location, RegistryHttp.Octets(new byte[100]));
        Assert.Equal("0-99", RegistryHttp.Header(first, "Range"));

        // Announce 10000 bytes, send 4000, hang up.
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, fixture.Registry.BaseUri.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"PATCH {location} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 10000\r\n\r\n"));
            await stream.WriteAsync(new byte[4000]);
            await stream.FlushAsync();
            await Task.Delay(200);
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? range;
        do
        {
            await Task.Delay(50);
            using var status = await _http.SendAsync(HttpMethod.Get, location);
            range = RegistryHttp.Header(status, "Range");
        }
        while (range != "0-99" && DateTime.UtcNow < deadline);
        Assert.Equal("0-99", range);

        byte[] rest = OciLayout.RandomBytes(50, 2);
        byte[] whole = [.. new byte[100], .. rest];
        using var finish = await _http.SendAsync(HttpMethod.Put, RegistryHttp.WithQuery(location, "digest=" + OciLayout.Sha256(whole)), RegistryHttp.Octets(rest));
        Assert.Equal(HttpStatusCode.Created, finish.StatusCode);
    }

    [Fact]
    public async Task Unknown_upload_ids_are_blob_upload_unknown()
    {
        string name = RegistryHttp.Unique("bad/upload");
        foreach (var id in new[] { "0123456789abcdef0123456789abcdef", "not-an-id", "..%2f..%2fblobs" })
        {
            using var status = await _http.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/uploads/{id}");
            Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
            Assert.Equal("BLOB_UPLOAD_UNKNOWN", await RegistryHttp.ErrorCodeAsync(status));
        }
        // A session belongs to the repository that opened it.
        using var start = await _http.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/");
        string id2 = RegistryHttp.Location(start).Split('/')[^1];
        using var other = await _http.SendAsync(HttpMethod.Get, $"/v2/{name}-other/blobs/uploads/{id2}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Concurrent_pushes_of_the_same_blob_all_succeed_with_one_copy()
    {
        string name = RegistryHttp.Unique("bad/samblob");
        byte[] blob = OciLayout.RandomBytes(300_000, 3);
        var digests = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _http.PushBlobAsync(name, blob)));
        Assert.All(digests, d => Assert.Equal(OciLayout.Sha256(blob), d));
        using var get = await _http.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{digests[0]}");
        Assert.Equal(blob, await get.Content.ReadAsByteArrayAsync());
        Assert.Empty(Directory.GetFiles(Path.Combine(fixture.Registry.Root, "ingest")));
    }

    [Fact]
    public async Task Manifest_with_wrong_layer_size_or_bad_fields_is_manifest_invalid()
    {
        string name = RegistryHttp.Unique("bad/fields");
        string digest = await _http.PushBlobAsync(name, OciLayout.RandomBytes(100, 4));
        foreach (var body in new[]
        {
            $$$"""{"schemaVersion":2,"mediaType":"{{{RegistryHttp.OciManifest}}}","config":{"mediaType":"a/b","digest":"{{{digest}}}","size":99},"layers":[]}""",
            $$$"""{"schemaVersion":2,"mediaType":"{{{RegistryHttp.OciManifest}}}","config":{"mediaType":"a/b","digest":"{{{digest}}}"},"layers":[]}""",
            $$$"""{"schemaVersion":2,"mediaType":"{{{RegistryHttp.OciManifest}}}","config":{"mediaType":"a/b","digest":"sha256:xyz","size":100},"layers":[]}""",
            """{"schemaVersion":1,"name":"x","tag":"y","fsLayers":[]}""",
            """[1,2,3]""",
            $$$"""{"schemaVersion":2,"mediaType":"{{{RegistryHttp.OciIndex}}}","manifests":[]}""",
        })
        {
            using var put = await _http.PutManifestAsync(name, "v1", Encoding.UTF8.GetBytes(body), RegistryHttp.OciManifest);
            Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
            Assert.Equal("MANIFEST_INVALID", await RegistryHttp.ErrorCodeAsync(put));
        }
        using var tags = await _http.SendAsync(HttpMethod.Get, $"/v2/{name}/tags/list");
        Assert.Equal(HttpStatusCode.NotFound, tags.StatusCode);
    }
}
