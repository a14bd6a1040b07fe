using System.Net;
using Berth.Engine.Distribution.Http;
using Berth.Engine.Distribution.Manifests;
using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.Errors;

namespace Berth.Engine.Distribution.Blobs;

/// <summary>
/// Streams a blob from a registry straight into the content store, which hashes and counts it on the way and keeps it
/// only when digest and size match; a broken connection is resumed with a Range request.
/// </summary>
public static class BlobDownloader
{
    public static async Task<BlobInfo> DownloadAsync(RegistrySession session, Descriptor descriptor, IContentStore content, Action<long> onBytes, int maxResumes, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(descriptor.Digest!);
        if (content.SizeOf(digest) is { } have && have == descriptor.Size) return new BlobInfo(digest, have);

        var uri = session.RepositoryUri("blobs/" + digest);
        var response = await GetAsync(session, uri, from: 0, cancellationToken);
        if (response.Content.Headers.ContentLength is { } announced && announced != descriptor.Size)
        {
            response.Dispose();
            throw BerthException.Invalid($"blob {digest}: the registry announced {announced} bytes, the manifest says {descriptor.Size}");
        }
        await using var body = await ResumingDownloadStream.OpenAsync(
            response, (offset, ct) => GetAsync(session, uri, offset, ct), descriptor.Size, maxResumes, cancellationToken);
        await using var counted = new CountingStream(body, onBytes, leaveOpen: true);
        try
        {
            return await content.WriteAsync(counted, digest, descriptor.Size, cancellationToken);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Invalid)
        {
            // Docker's words for a blob whose bytes do not hash to its digest (or run past its size).
            throw BerthException.Invalid($"filesystem layer verification failed for digest {digest}");
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new RegistryException($"error pulling blob {digest}: {e.Message}", inner: e) { IsTransport = true };
        }
    }

    private static async Task<HttpResponseMessage> GetAsync(RegistrySession session, Uri uri, long from, CancellationToken cancellationToken)
    {
        var response = await session.SendAsync(target =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, target);
            if (from > 0) request.Headers.Range = ResumingDownloadStream.RangeFrom(from);
            return request;
        }, uri, cancellationToken);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound && response.Content.Headers.ContentLength is null or 0)
                throw new RegistryException("unknown blob", response.StatusCode, [new RegistryErrorEntry { Code = "BLOB_UNKNOWN", Message = "blob unknown to registry" }]);
            throw await RegistryException.FromResponseAsync(response, cancellationToken);
        }
    }
}
