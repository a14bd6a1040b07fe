using System.Collections.Concurrent;
using System.Net;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Registry.Distribution;
using Berth.Registry.Storage;

namespace Berth.Registry.Proxy;

/// <summary>
/// Pull-through cache: manifests and blobs missing locally are fetched from the upstream, verified against their
/// digest and stored, then served like pushed content. Tags are re-resolved upstream on every pull (or once per
/// <c>proxy.ttl</c>); when the upstream cannot be reached the cached tag is served.
/// </summary>
public sealed class UpstreamCache(UpstreamClient upstream, RegistryStorage storage, TimeSpan tagTtl)
{
    private const string ManifestAccept =
        MediaTypes.OciIndex + ", " + MediaTypes.OciManifest + ", " + MediaTypes.DockerManifestList + ", " + MediaTypes.DockerManifest;

    private readonly ConcurrentDictionary<Digest, Lazy<Task>> _blobFetches = new();
    private readonly ConcurrentDictionary<(string, string), DateTimeOffset> _tagChecked = new();

    private static string Scope(string name) => $"repository:{name}:pull";

    public async Task RefreshTagAsync(string name, string tag, CancellationToken cancellationToken)
    {
        if (tagTtl > TimeSpan.Zero && _tagChecked.TryGetValue((name, tag), out var at) && DateTimeOffset.UtcNow - at < tagTtl
            && storage.ResolveTag(name, tag) is not null)
            return;
        try
        {
            using var response = await upstream.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/{tag}", Scope(name), ManifestAccept, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound) return;
            if (!response.IsSuccessStatusCode) return;
            var stored = await StoreManifestAsync(name, response, expected: null, cancellationToken);
            storage.Tag(name, tag, stored.Digest);
            _tagChecked[(name, tag)] = DateTimeOffset.UtcNow;
        }
        catch (HttpRequestException)
        {
            // Upstream unreachable: serve what the cache has.
        }
    }

    public async Task<StoredManifest?> FetchManifestAsync(string name, Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await upstream.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/{digest}", Scope(name), ManifestAccept, cancellationToken);
            if (!response.IsSuccessStatusCode) return null;
            return await StoreManifestAsync(name, response, digest, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private async Task<StoredManifest> StoreManifestAsync(string name, HttpResponseMessage response, Digest? expected, CancellationToken cancellationToken)
    {
        byte[] content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        string mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var parsed = ManifestParser.Parse(content, mediaType);
        var digest = Digest.Of(content);
        if (expected is { } want && want != digest)
            throw RegistryErrors.Create(ErrorCode.Unavailable, $"upstream manifest {name}@{want} hashes to {digest}");
        await storage.Blobs.WriteAsync(content, cancellationToken);
        storage.AddManifest(name, digest, parsed.MediaType);
        return new StoredManifest(digest, parsed.MediaType);
    }

    /// <summary>Makes the blob present and linked locally; concurrent requests for one blob share one download.</summary>
    public async Task FetchBlobAsync(string name, Digest digest, CancellationToken cancellationToken)
    {
        if (!storage.Blobs.Exists(digest))
        {
            var fetch = _blobFetches.GetOrAdd(digest, d => new Lazy<Task>(() => DownloadAsync(name, d)));
            try
            {
                await fetch.Value.WaitAsync(cancellationToken);
            }
            finally
            {
                if (fetch.Value.IsCompleted) _blobFetches.TryRemove(new KeyValuePair<Digest, Lazy<Task>>(digest, fetch));
            }
        }
        storage.LinkBlob(name, digest);
    }

    private async Task DownloadAsync(string name, Digest digest)
    {
        // Not tied to one client's cancellation: other requests may be waiting on the same download.
        using var timeout = new CancellationTokenSource(TimeSpan.FromHours(1));
        HttpResponseMessage response;
        try
        {
            response = await upstream.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{digest}", Scope(name), null, timeout.Token);
        }
        catch (HttpRequestException e)
        {
            throw RegistryErrors.Create(ErrorCode.Unavailable, $"blob {digest}: upstream {upstream.BaseUri} unreachable: {e.Message}");
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound) throw RegistryErrors.BlobUnknown(digest.ToString());
            if (!response.IsSuccessStatusCode)
                throw RegistryErrors.Create(ErrorCode.Unavailable, $"blob {digest}: upstream answered {(int)response.StatusCode}");
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            try
            {
                await storage.Blobs.WriteAsync(body, digest, response.Content.Headers.ContentLength, timeout.Token);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Invalid)
            {
                throw RegistryErrors.Create(ErrorCode.Unavailable, $"upstream blob {digest}: {e.Message}");
            }
        }
    }
}
