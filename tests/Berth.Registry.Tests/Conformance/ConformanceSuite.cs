using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Registry.Tests.Infrastructure;

namespace Berth.Registry.Tests.Conformance;

/// <summary>
/// The distribution spec's pull, push, content discovery and content management workflows, request by request.
/// The same suite runs against berth-registry and docker-registry 2.8.2. Where docker-registry departs from the spec
/// the test asserts the spec for berth-registry and docker-registry's measured answer for it (see
/// docs/registry-conformance.md); <see cref="FollowsSpec"/> tells which is under test.
/// </summary>
public abstract class ConformanceSuite(IRegistryUnderTest registry) : IDisposable
{
    protected readonly RegistryHttp Http = new(registry.BaseUri);

    /// <summary>False for docker-registry 2.8.2, whose known departures are asserted as measured.</summary>
    protected abstract bool FollowsSpec { get; }

    public void Dispose() => Http.Dispose();

    // ---- pull ----

    [Fact]
    public async Task Base_endpoint_answers_200_with_the_api_version_header()
    {
        using var response = await Http.SendAsync(HttpMethod.Get, "/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", RegistryHttp.Header(response, "Docker-Distribution-API-Version"));
    }

    [Fact]
    public async Task Pull_manifest_by_tag_and_digest_with_get_and_head()
    {
        string name = RegistryHttp.Unique("pull/multi/level");
        var image = await Http.PushImageAsync(name, "v1", seed: 1);

        foreach (var reference in new[] { "v1", image.Digest })
        {
            using var get = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/{reference}", null, ("Accept", RegistryHttp.OciManifest));
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(image.Manifest, await get.Content.ReadAsByteArrayAsync());
            Assert.Equal(image.Digest, RegistryHttp.Header(get, "Docker-Content-Digest"));
            Assert.Equal(RegistryHttp.OciManifest, get.Content.Headers.ContentType?.MediaType);

            using var head = await Http.SendAsync(HttpMethod.Head, $"/v2/{name}/manifests/{reference}", null, ("Accept", RegistryHttp.OciManifest));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(image.Manifest.Length, head.Content.Headers.ContentLength);
            Assert.Equal(image.Digest, RegistryHttp.Header(head, "Docker-Content-Digest"));
        }
    }

    [Fact]
    public async Task Unknown_manifest_and_blob_answer_404_with_spec_codes()
    {
        string name = RegistryHttp.Unique("pull/missing");
        await Http.PushImageAsync(name, "v1", seed: 2);
        using var manifest = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/nope");
        Assert.Equal(HttpStatusCode.NotFound, manifest.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await RegistryHttp.ErrorCodeAsync(manifest));
        using var blob = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/sha256:{new string('a', 64)}");
        Assert.Equal(HttpStatusCode.NotFound, blob.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await RegistryHttp.ErrorCodeAsync(blob));
        using var head = await Http.SendAsync(HttpMethod.Head, $"/v2/{name}/blobs/sha256:{new string('b', 64)}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Pull_blob_whole_and_by_range()
    {
        string name = RegistryHttp.Unique("pull/blob");
        byte[] blob = OciLayout.RandomBytes(10_000, 3);
        string digest = await Http.PushBlobAsync(name, blob);

        using var get = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(blob, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(digest, RegistryHttp.Header(get, "Docker-Content-Digest"));

        using var head = await Http.SendAsync(HttpMethod.Head, $"/v2/{name}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(blob.Length, head.Content.Headers.ContentLength);

        using var range = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{digest}", null, ("Range", "bytes=100-199"));
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(blob[100..200], await range.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes 100-199/10000", RegistryHttp.Header(range, "Content-Range"));

        using var suffix = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{digest}", null, ("Range", "bytes=-10"));
        Assert.Equal(HttpStatusCode.PartialContent, suffix.StatusCode);
        Assert.Equal(blob[^10..], await suffix.Content.ReadAsByteArrayAsync());

        // Headers only: docker-registry 2.8.2 announces the blob's Content-Length on its 416 but sends a short text body.
        using var unsatisfiable = new HttpRequestMessage(HttpMethod.Get, $"/v2/{name}/blobs/{digest}");
        unsatisfiable.Headers.TryAddWithoutValidation("Range", "bytes=20000-");
        using var beyond = await Http.Client.SendAsync(unsatisfiable, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal("bytes */10000", RegistryHttp.Header(beyond, "Content-Range"));
    }

    [Fact]
    public async Task Malformed_digest_in_a_manifest_get()
    {
        string name = RegistryHttp.Unique("pull/baddigest");
        await Http.PushImageAsync(name, "v1", seed: 4);
        using var response = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/sha256:nothex");
        if (FollowsSpec)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("DIGEST_INVALID", await RegistryHttp.ErrorCodeAsync(response));
        }
        else
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }
    }

    // ---- push ----

    [Fact]
    public async Task Push_monolithic_in_a_single_post()
    {
        string name = RegistryHttp.Unique("push/single");
        byte[] blob = OciLayout.RandomBytes(5000, 5);
        string digest = OciLayout.Sha256(blob);
        using var post = await Http.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/?digest={digest}", RegistryHttp.Octets(blob));
        if (FollowsSpec)
        {
            Assert.Equal(HttpStatusCode.Created, post.StatusCode);
            Assert.Equal($"/v2/{name}/blobs/{digest}", new Uri(registry.BaseUri, RegistryHttp.Location(post)).AbsolutePath);
            using var get = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{digest}");
            Assert.Equal(blob, await get.Content.ReadAsByteArrayAsync());
        }
        else
        {
            // docker-registry 2.8.2 ignores ?digest= on POST and opens a session instead (the spec allows that answer).
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        }
    }

    [Fact]
    public async Task Push_monolithic_post_then_put()
    {
        string name = RegistryHttp.Unique("push/mono");
        byte[] blob = OciLayout.RandomBytes(5000, 6);
        string digest = await Http.PushBlobAsync(name, blob);
        using var head = await Http.SendAsync(HttpMethod.Head, $"/v2/{name}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task Push_in_chunks_with_status_in_between()
    {
        string name = RegistryHttp.Unique("push/chunks");
        byte[] blob = OciLayout.RandomBytes(30_000, 7);
        string digest = OciLayout.Sha256(blob);
        using var start = await Http.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/", null, ("Content-Length", "0"));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        string location = RegistryHttp.Location(start);

        using var first = await Http.SendAsync(HttpMethod.Patch, location, RegistryHttp.Octets(blob[..10_000]), ("Content-Range", "0-9999"));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("0-9999", RegistryHttp.Header(first, "Range"));
        location = RegistryHttp.Location(first);

        using var status = await Http.SendAsync(HttpMethod.Get, location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-9999", RegistryHttp.Header(status, "Range"));

        using var second = await Http.SendAsync(HttpMethod.Patch, location, RegistryHttp.Octets(blob[10_000..25_000]), ("Content-Range", "10000-24999"));
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        location = RegistryHttp.Location(second);

        using var finish = await Http.SendAsync(HttpMethod.Put, RegistryHttp.WithQuery(location, "digest=" + digest), RegistryHttp.Octets(blob[25_000..]));
        Assert.Equal(HttpStatusCode.Created, finish.StatusCode);
        Assert.Equal(digest, RegistryHttp.Header(finish, "Docker-Content-Digest"));

        using var get = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{digest}");
        Assert.Equal(blob, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Out_of_order_chunk_is_refused()
    {
        string name = RegistryHttp.Unique("push/order");
        using var start = await Http.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/");
        using var first = await Http.SendAsync(HttpMethod.Patch, RegistryHttp.Location(start), RegistryHttp.Octets(new byte[100]), ("Content-Range", "0-99"));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        string location = RegistryHttp.Location(first);
        using var skip = await Http.SendAsync(HttpMethod.Patch, location, RegistryHttp.Octets(new byte[100]), ("Content-Range", "500-599"));
        using var repeat = await Http.SendAsync(HttpMethod.Patch, location, RegistryHttp.Octets(new byte[100]), ("Content-Range", "0-99"));
        if (FollowsSpec)
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, skip.StatusCode);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, repeat.StatusCode);
            Assert.Equal("0-99", RegistryHttp.Header(repeat, "Range"));
            using var status = await Http.SendAsync(HttpMethod.Get, location);
            Assert.Equal("0-99", RegistryHttp.Header(status, "Range"));
        }
        else
        {
            Assert.NotEqual(HttpStatusCode.RequestedRangeNotSatisfiable, skip.StatusCode);
            Assert.NotEqual(HttpStatusCode.RequestedRangeNotSatisfiable, repeat.StatusCode);
        }
    }

    [Fact]
    public async Task Cancelled_upload_is_gone()
    {
        string name = RegistryHttp.Unique("push/cancel");
        using var start = await Http.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/");
        string location = RegistryHttp.Location(start);
        using var patch = await Http.SendAsync(HttpMethod.Patch, location, RegistryHttp.Octets(new byte[10]));
        location = RegistryHttp.Location(patch);
        using var cancel = await Http.SendAsync(HttpMethod.Delete, location);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        using var status = await Http.SendAsync(HttpMethod.Get, location);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await RegistryHttp.ErrorCodeAsync(status));
    }

    [Fact]
    public async Task Wrong_digest_on_finish_is_digest_invalid_and_stores_nothing()
    {
        string name = RegistryHttp.Unique("push/wrong");
        byte[] blob = OciLayout.RandomBytes(2000, 8);
        string claimed = OciLayout.Sha256(OciLayout.RandomBytes(2000, 9));
        using var start = await Http.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/");
        using var put = await Http.SendAsync(HttpMethod.Put, RegistryHttp.WithQuery(RegistryHttp.Location(start), "digest=" + claimed), RegistryHttp.Octets(blob));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await RegistryHttp.ErrorCodeAsync(put));
        foreach (var digest in new[] { claimed, OciLayout.Sha256(blob) })
        {
            using var head = await Http.SendAsync(HttpMethod.Head, $"/v2/{name}/blobs/{digest}");
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }
    }

    [Fact]
    public async Task Cross_repository_mount()
    {
        string source = RegistryHttp.Unique("push/mountsrc");
        string target = RegistryHttp.Unique("push/mountdst");
        byte[] blob = OciLayout.RandomBytes(4000, 10);
        string digest = await Http.PushBlobAsync(source, blob);

        using var mount = await Http.SendAsync(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?mount={digest}&from={source}");
        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal($"/v2/{target}/blobs/{digest}", new Uri(registry.BaseUri, RegistryHttp.Location(mount)).AbsolutePath);
        using var get = await Http.SendAsync(HttpMethod.Get, $"/v2/{target}/blobs/{digest}");
        Assert.Equal(blob, await get.Content.ReadAsByteArrayAsync());

        string missing = OciLayout.Sha256(OciLayout.RandomBytes(10, 11));
        using var fallback = await Http.SendAsync(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?mount={missing}&from={source}");
        Assert.Equal(HttpStatusCode.Accepted, fallback.StatusCode);
    }

    [Fact]
    public async Task Manifest_referencing_a_missing_blob_is_refused()
    {
        string name = RegistryHttp.Unique("push/missingblob");
        string missing = OciLayout.Sha256(OciLayout.RandomBytes(10, 12));
        byte[] manifest = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{RegistryHttp.OciManifest}}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{missing}}}","size":10},"layers":[]}""");
        using var put = await Http.PutManifestAsync(name, "v1", manifest, RegistryHttp.OciManifest);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await RegistryHttp.ErrorCodeAsync(put));
        using var get = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Invalid_manifest_json_is_manifest_invalid()
    {
        string name = RegistryHttp.Unique("push/badjson");
        await Http.PushImageAsync(name, "v1", seed: 13);
        using var put = await Http.PutManifestAsync(name, "v2", "{\"schemaVersion\":2,"u8.ToArray(), RegistryHttp.OciManifest);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_INVALID", await RegistryHttp.ErrorCodeAsync(put));
        using var get = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v2");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Manifest_put_by_a_digest_it_does_not_hash_to_is_digest_invalid()
    {
        string name = RegistryHttp.Unique("push/mandigest");
        var image = await Http.PushImageAsync(name, "v1", seed: 14);
        string wrong = OciLayout.Sha256(OciLayout.RandomBytes(5, 15));
        using var put = await Http.PutManifestAsync(name, wrong, image.Manifest, RegistryHttp.OciManifest);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await RegistryHttp.ErrorCodeAsync(put));
        using (var stored = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/{wrong}"))
            Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
        using var byDigest = await Http.PutManifestAsync(name, image.Digest, image.Manifest, RegistryHttp.OciManifest);
        Assert.Equal(HttpStatusCode.Created, byDigest.StatusCode);
    }

    [Fact]
    public async Task Pushing_a_manifest_with_a_subject_answers_oci_subject()
    {
        string name = RegistryHttp.Unique("push/subject");
        var subject = await Http.PushImageAsync(name, "v1", seed: 16);
        byte[] empty = "{}"u8.ToArray();
        string emptyDigest = await Http.PushBlobAsync(name, empty);
        byte[] artifact = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{RegistryHttp.OciManifest}}}","artifactType":"application/vnd.example.sig","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{{emptyDigest}}}","size":2},"layers":[{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{{emptyDigest}}}","size":2}],"subject":{"mediaType":"{{{RegistryHttp.OciManifest}}}","digest":"{{{subject.Digest}}}","size":{{{subject.Manifest.Length}}}}}""");
        using var put = await Http.PutManifestAsync(name, OciLayout.Sha256(artifact), artifact, RegistryHttp.OciManifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        if (FollowsSpec) Assert.Equal(subject.Digest, RegistryHttp.Header(put, "OCI-Subject"));
        else Assert.Null(RegistryHttp.Header(put, "OCI-Subject"));
    }

    // ---- content discovery ----

    [Fact]
    public async Task Tag_list_is_lexical_and_paginates_with_n_and_last()
    {
        string name = RegistryHttp.Unique("discover/tags");
        var image = await Http.PushImageAsync(name, "b", seed: 17);
        foreach (var tag in new[] { "d", "a", "c", "e" })
        {
            using var put = await Http.PutManifestAsync(name, tag, image.Manifest, RegistryHttp.OciManifest);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        Assert.Equal(["a", "b", "c", "d", "e"], (await TagsAsync($"/v2/{name}/tags/list")).Order(StringComparer.Ordinal));

        using var firstPage = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/tags/list?n=2");
        var first = await TagsOf(firstPage);
        using var afterB = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/tags/list?n=2&last=b");
        var second = await TagsOf(afterB);
        if (FollowsSpec)
        {
            Assert.Equal(["a", "b", "c", "d", "e"], await TagsAsync($"/v2/{name}/tags/list"));
            Assert.Equal(["a", "b"], first);
            string? link = RegistryHttp.Header(firstPage, "Link");
            Assert.NotNull(link);
            Assert.Contains("rel=\"next\"", link);
            Assert.Contains("last=b", link);
            Assert.Equal(["c", "d"], second);
            Assert.Empty(await TagsAsync($"/v2/{name}/tags/list?n=0"));
        }
        else
        {
            Assert.Equal(5, first.Length);
        }
    }

    [Fact]
    public async Task Tag_list_of_an_unknown_repository_is_name_unknown()
    {
        using var response = await Http.SendAsync(HttpMethod.Get, $"/v2/{RegistryHttp.Unique("discover/none")}/tags/list");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await RegistryHttp.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Referrers_api_lists_and_filters_by_artifact_type()
    {
        string name = RegistryHttp.Unique("discover/referrers");
        var subject = await Http.PushImageAsync(name, "v1", seed: 18);
        var signature = await Http.PushImageAsync(name, "sig", seed: 19, subject: subject.Digest, artifactType: "application/vnd.example.sig");
        var sbom = await Http.PushImageAsync(name, "sbom", seed: 20, subject: subject.Digest, artifactType: "application/vnd.example.sbom");

        using var all = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/referrers/{subject.Digest}");
        if (!FollowsSpec)
        {
            Assert.Equal(HttpStatusCode.NotFound, all.StatusCode);
            return;
        }
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(RegistryHttp.OciIndex, all.Content.Headers.ContentType?.MediaType);
        using (var json = JsonDocument.Parse(await all.Content.ReadAsStringAsync()))
        {
            var manifests = json.RootElement.GetProperty("manifests").EnumerateArray().ToList();
            Assert.Equal(2, manifests.Count);
            Assert.Equal(new[] { signature.Digest, sbom.Digest }.Order(), manifests.Select(m => m.GetProperty("digest").GetString()!).Order());
            var sig = manifests.Single(m => m.GetProperty("digest").GetString() == signature.Digest);
            Assert.Equal("application/vnd.example.sig", sig.GetProperty("artifactType").GetString());
            Assert.Equal(signature.Manifest.Length, sig.GetProperty("size").GetInt64());
            Assert.Equal("19", sig.GetProperty("annotations").GetProperty("seed").GetString());
        }

        using var filtered = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/referrers/{subject.Digest}?artifactType=application/vnd.example.sbom");
        Assert.Equal("artifactType", RegistryHttp.Header(filtered, "OCI-Filters-Applied"));
        using (var json = JsonDocument.Parse(await filtered.Content.ReadAsStringAsync()))
            Assert.Equal([sbom.Digest], json.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString()!));

        using var none = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/referrers/{sbom.Digest}");
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        using (var json = JsonDocument.Parse(await none.Content.ReadAsStringAsync()))
            Assert.Empty(json.RootElement.GetProperty("manifests").EnumerateArray());

        // Deleting a referrer removes it from the list.
        using var delete = await Http.SendAsync(HttpMethod.Delete, $"/v2/{name}/manifests/{signature.Digest}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        using var after = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/referrers/{subject.Digest}");
        using (var json = JsonDocument.Parse(await after.Content.ReadAsStringAsync()))
            Assert.Equal([sbom.Digest], json.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString()!));
    }

    [Fact]
    public async Task Catalog_lists_repositories_and_paginates()
    {
        string prefix = RegistryHttp.Unique("catalog");
        await Http.PushImageAsync(prefix + "/one", "v1", seed: 21);
        await Http.PushImageAsync(prefix + "/two", "v1", seed: 22);
        using var response = await Http.SendAsync(HttpMethod.Get, "/v2/_catalog?n=1000");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = json.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains(prefix + "/one", names);
        Assert.Contains(prefix + "/two", names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);

        using var page = await Http.SendAsync(HttpMethod.Get, $"/v2/_catalog?n=1&last={prefix}/one");
        using var pageJson = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
        Assert.Equal([prefix + "/two"], pageJson.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!));
    }

    // ---- content management ----

    [Fact]
    public async Task Delete_manifest_by_tag_removes_only_the_tag()
    {
        string name = RegistryHttp.Unique("manage/untag");
        var image = await Http.PushImageAsync(name, "v1", seed: 23);
        using var delete = await Http.SendAsync(HttpMethod.Delete, $"/v2/{name}/manifests/v1");
        if (FollowsSpec)
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
            using var byTag = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1");
            Assert.Equal(HttpStatusCode.NotFound, byTag.StatusCode);
            using var byDigest = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/{image.Digest}", null, ("Accept", RegistryHttp.OciManifest));
            Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
            Assert.Equal("DIGEST_INVALID", await RegistryHttp.ErrorCodeAsync(delete));
        }
    }

    [Fact]
    public async Task Delete_manifest_by_digest_then_blob()
    {
        string name = RegistryHttp.Unique("manage/delete");
        var image = await Http.PushImageAsync(name, "v1", seed: 24);
        using var delete = await Http.SendAsync(HttpMethod.Delete, $"/v2/{name}/manifests/{image.Digest}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        using var get = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/{image.Digest}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var again = await Http.SendAsync(HttpMethod.Delete, $"/v2/{name}/manifests/{image.Digest}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await RegistryHttp.ErrorCodeAsync(again));

        using var deleteBlob = await Http.SendAsync(HttpMethod.Delete, $"/v2/{name}/blobs/{image.LayerDigest}");
        Assert.Equal(HttpStatusCode.Accepted, deleteBlob.StatusCode);
        using var blob = await Http.SendAsync(HttpMethod.Head, $"/v2/{name}/blobs/{image.LayerDigest}");
        Assert.Equal(HttpStatusCode.NotFound, blob.StatusCode);
        using var blobAgain = await Http.SendAsync(HttpMethod.Delete, $"/v2/{name}/blobs/{image.LayerDigest}");
        Assert.Equal(HttpStatusCode.NotFound, blobAgain.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await RegistryHttp.ErrorCodeAsync(blobAgain));
    }

    [Fact]
    public async Task Accept_negotiation_serves_docker_and_oci_types()
    {
        string name = RegistryHttp.Unique("pull/accept");
        var image = await Http.PushImageAsync(name, "v1", seed: 25);
        using var any = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1", null,
            ("Accept", $"{RegistryHttp.DockerManifest}, {RegistryHttp.OciManifest}, {RegistryHttp.OciIndex}"));
        Assert.Equal(HttpStatusCode.OK, any.StatusCode);
        Assert.Equal(RegistryHttp.OciManifest, any.Content.Headers.ContentType?.MediaType);
        using var dockerOnly = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1", null, ("Accept", RegistryHttp.DockerManifest));
        Assert.Equal(HttpStatusCode.NotFound, dockerOnly.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await RegistryHttp.ErrorCodeAsync(dockerOnly));
    }

    [Fact]
    public async Task Index_referencing_pushed_manifests_is_accepted_and_served()
    {
        string name = RegistryHttp.Unique("push/index");
        var a = await Http.PushImageAsync(name, "a", seed: 26);
        var b = await Http.PushImageAsync(name, "b", seed: 27);
        byte[] index = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{RegistryHttp.OciIndex}}}","manifests":[{"mediaType":"{{{RegistryHttp.OciManifest}}}","digest":"{{{a.Digest}}}","size":{{{a.Manifest.Length}}},"platform":{"architecture":"amd64","os":"linux"}},{"mediaType":"{{{RegistryHttp.OciManifest}}}","digest":"{{{b.Digest}}}","size":{{{b.Manifest.Length}}},"platform":{"architecture":"arm64","os":"linux"}}]}""");
        using var put = await Http.PutManifestAsync(name, "multi", index, RegistryHttp.OciIndex);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var get = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/multi", null, ("Accept", RegistryHttp.OciIndex));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(RegistryHttp.OciIndex, get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(index, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Manifest_list_falls_back_to_linux_amd64_for_a_client_that_cannot_read_lists()
    {
        string name = RegistryHttp.Unique("pull/fallback");
        var arm = await Http.PushImageAsync(name, "arm", seed: 30, manifestType: RegistryHttp.DockerManifest);
        var amd = await Http.PushImageAsync(name, "amd", seed: 31, manifestType: RegistryHttp.DockerManifest);
        static string Entry(string digest, int size, string arch) =>
            $$$"""{"mediaType":"{{{RegistryHttp.DockerManifest}}}","digest":"{{{digest}}}","size":{{{size}}},"platform":{"architecture":"{{{arch}}}","os":"linux"}}""";
        byte[] list = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{RegistryHttp.DockerManifestList}}}","manifests":[{{{Entry(arm.Digest, arm.Manifest.Length, "arm64")}}},{{{Entry(amd.Digest, amd.Manifest.Length, "amd64")}}}]}""");
        using (var put = await Http.PutManifestAsync(name, "multi", list, RegistryHttp.DockerManifestList))
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        using var lists = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/multi", null, ("Accept", $"{RegistryHttp.DockerManifestList}, {RegistryHttp.DockerManifest}"));
        Assert.Equal(list, await lists.Content.ReadAsByteArrayAsync());
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var old = await Http.SendAsync(method, $"/v2/{name}/manifests/multi", null, ("Accept", RegistryHttp.DockerManifest));
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
            Assert.Equal(RegistryHttp.DockerManifest, old.Content.Headers.ContentType?.MediaType);
            Assert.Equal(amd.Digest, RegistryHttp.Header(old, "Docker-Content-Digest"));
            if (method == HttpMethod.Get) Assert.Equal(amd.Manifest, await old.Content.ReadAsByteArrayAsync());
        }

        // An OCI index has no such fallback: a client that cannot read it gets MANIFEST_UNKNOWN.
        byte[] index = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(list).Replace(RegistryHttp.DockerManifestList, RegistryHttp.OciIndex, StringComparison.Ordinal));
        using (var put = await Http.PutManifestAsync(name, "oci", index, RegistryHttp.OciIndex))
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var refused = await Http.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/oci", null, ("Accept", RegistryHttp.DockerManifest));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await RegistryHttp.ErrorCodeAsync(refused));
    }

    [Fact]
    public async Task Thousand_concurrent_requests_from_one_client_all_succeed()
    {
        string name = RegistryHttp.Unique("load/concurrent");
        var image = await Http.PushImageAsync(name, "v1", seed: 28);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = registry.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        var tasks = Enumerable.Range(0, 1000).Select(async i =>
        {
            using var request = new HttpRequestMessage(i % 2 == 0 ? HttpMethod.Get : HttpMethod.Head,
                i % 3 == 0 ? $"/v2/{name}/blobs/{image.LayerDigest}" : $"/v2/{name}/manifests/v1");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(RegistryHttp.OciManifest));
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(tasks);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    private async Task<string[]> TagsAsync(string path)
    {
        using var response = await Http.SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await TagsOf(response);
    }

    private static async Task<string[]> TagsOf(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var tags = json.RootElement.GetProperty("tags");
        return tags.ValueKind == JsonValueKind.Null ? [] : tags.EnumerateArray().Select(t => t.GetString()!).ToArray();
    }
}

public sealed class BerthRegistryConformance(BerthRegistryFixture fixture) : ConformanceSuite(fixture.Registry), IClassFixture<BerthRegistryFixture>
{
    protected override bool FollowsSpec => true;
}

public sealed class DockerRegistryConformance(DockerRegistryFixture fixture) : ConformanceSuite(fixture.Registry), IClassFixture<DockerRegistryFixture>
{
    protected override bool FollowsSpec => false;
}
