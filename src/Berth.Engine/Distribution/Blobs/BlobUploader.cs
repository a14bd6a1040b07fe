using System.Net;
using System.Net.Http.Headers;
using Berth.Engine.Distribution.Http;
using Berth.Oci.Content;
using Berth.Oci.Digests;

namespace Berth.Engine.Distribution.Blobs;

/// <summary>
/// Blob uploads of the distribution spec: POST to open a session, then a single PUT (monolithic), one streamed PATCH
/// and a PUT (Docker's way), or PATCHes of a fixed size with Content-Range and a final PUT (chunked). Every request
/// body is reopened from the content store, so a request retried after a 401 sends the same bytes.
/// </summary>
public static class BlobUploader
{
    private const string OctetStream = "application/octet-stream";

    /// <summary>HEAD: does the repository already have the blob?</summary>
    public static async Task<bool> ExistsAsync(RegistrySession session, Digest digest, CancellationToken cancellationToken)
    {
        using var response = await session.SendAsync(u => new HttpRequestMessage(HttpMethod.Head, u), session.RepositoryUri("blobs/" + digest), cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK) return true;
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        throw RegistryException.FromBody(response.StatusCode, response.ReasonPhrase, []);
    }

    /// <summary>
    /// Asks the registry to link the blob from <paramref name="fromRepository"/>. True when mounted; otherwise the
    /// upload session the registry opened instead is returned through <paramref name="uploadLocation"/>.
    /// </summary>
    public static async Task<(bool Mounted, Uri? UploadLocation)> TryMountAsync(RegistrySession session, Digest digest, string fromRepository, CancellationToken cancellationToken)
    {
        var uri = session.RepositoryUri($"blobs/uploads/?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}");
        using var response = await session.SendAsync(u => new HttpRequestMessage(HttpMethod.Post, u) { Content = Empty() }, uri, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Created) return (true, null);
        if (response.StatusCode == HttpStatusCode.Accepted) return (false, LocationOf(session, response, uri));
        throw await RegistryException.FromResponseAsync(response, cancellationToken);
    }

    /// <param name="location">An upload session already opened (by a mount attempt), or null to open one.</param>
    public static async Task UploadAsync(RegistrySession session, IContentStore content, Digest digest, long size, UploadMode mode, int chunkSize, Uri? location, Action<long> onBytes, CancellationToken cancellationToken)
    {
        int minimumChunk = 0;
        if (location is null)
        {
            var start = session.RepositoryUri("blobs/uploads/");
            using var response = await session.SendAsync(u => new HttpRequestMessage(HttpMethod.Post, u) { Content = Empty() }, start, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted) throw await RegistryException.FromResponseAsync(response, cancellationToken);
            location = LocationOf(session, response, start);
            if (response.Headers.TryGetValues("OCI-Chunk-Min-Length", out var values) && int.TryParse(values.FirstOrDefault(), out int min)) minimumChunk = min;
        }

        switch (mode)
        {
            case UploadMode.Monolithic:
                await PutAsync(session, location, digest, () => Body(content, digest, 0, size, onBytes, 0), cancellationToken);
                return;
            case UploadMode.Streamed:
                location = await PatchAsync(session, location, () => Body(content, digest, 0, size, onBytes, 0), 0, size, withRange: false, cancellationToken);
                break;
            case UploadMode.Chunked:
                long chunk = Math.Max(Math.Max(1, chunkSize), minimumChunk);
                for (long offset = 0; offset < size; offset += chunk)
                {
                    long length = Math.Min(chunk, size - offset);
                    long at = offset;
                    location = await PatchAsync(session, location, () => Body(content, digest, at, length, onBytes, at), at, length, withRange: true, cancellationToken);
                }
                break;
        }
        await PutAsync(session, location, digest, null, cancellationToken);
    }

    private static async Task<Uri> PatchAsync(RegistrySession session, Uri location, Func<HttpContent> body, long offset, long length, bool withRange, CancellationToken cancellationToken)
    {
        using var response = await session.SendAsync(u =>
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, u) { Content = body() };
            if (withRange) request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
            return request;
        }, location, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted) throw await RegistryException.FromResponseAsync(response, cancellationToken);
        return LocationOf(session, response, location);
    }

    private static async Task PutAsync(RegistrySession session, Uri location, Digest digest, Func<HttpContent>? body, CancellationToken cancellationToken)
    {
        var builder = new UriBuilder(location);
        string digestParameter = "digest=" + Uri.EscapeDataString(digest.ToString());
        builder.Query = string.IsNullOrEmpty(builder.Query.TrimStart('?')) ? digestParameter : builder.Query.TrimStart('?') + "&" + digestParameter;
        using var response = await session.SendAsync(u => new HttpRequestMessage(HttpMethod.Put, u) { Content = body?.Invoke() ?? Empty() }, builder.Uri, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.Accepted))
            throw await RegistryException.FromResponseAsync(response, cancellationToken);
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } answered && answered != digest.ToString())
            throw new RegistryException($"blob upload of {digest}: the registry stored it as {answered}");
    }

    private static HttpContent Body(IContentStore content, Digest digest, long offset, long length, Action<long> onBytes, long baseCount)
    {
        var slice = new SliceStream(content.OpenRead(digest), offset, length);
        var stream = new CountingStream(slice, count => onBytes(baseCount + count));
        var body = new StreamContent(stream, 1 << 16);
        body.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
        body.Headers.ContentLength = length;
        return body;
    }

    private static ByteArrayContent Empty()
    {
        var body = new ByteArrayContent([]);
        body.Headers.ContentLength = 0;
        return body;
    }

    private static Uri LocationOf(RegistrySession session, HttpResponseMessage response, Uri requestUri)
    {
        var location = response.Headers.Location ?? throw new RegistryException($"{RegistrySession.GoMethod(response.RequestMessage?.Method.Method ?? "POST")} \"{requestUri}\": the registry gave no upload Location");
        return location.IsAbsoluteUri ? location : new Uri(session.Endpoint.BaseUri, location);
    }
}
