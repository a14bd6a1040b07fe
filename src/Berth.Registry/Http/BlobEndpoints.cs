using Berth.Oci.Digests;
using Berth.Registry.Distribution;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Http;

/// <summary>GET/HEAD/DELETE <c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>, with single byte ranges.</summary>
public sealed class BlobEndpoints(RegistryServices services)
{
    public async Task GetAsync(HttpContext context, string name, Digest digest)
    {
        var storage = services.Storage;
        if (!storage.IsReadable(name, digest))
        {
            if (services.Upstream is null) throw RegistryErrors.BlobUnknown(digest.ToString());
            await services.Upstream.FetchBlobAsync(name, digest, context.RequestAborted);
        }
        string path;
        long size;
        try
        {
            path = storage.Blobs.PathOf(digest);
            size = new FileInfo(path).Length;
        }
        catch (Oci.Errors.BerthException)
        {
            throw RegistryErrors.BlobUnknown(digest.ToString());
        }

        var response = context.Response;
        var headers = response.Headers;
        headers["Docker-Content-Digest"] = digest.ToString();
        headers.ETag = $"\"{digest}\"";
        headers.AcceptRanges = "bytes";
        headers.CacheControl = "max-age=31536000";
        response.ContentType = "application/octet-stream";

        long offset = 0, count = size;
        string? rangeHeader = context.Request.Headers.Range;
        if (!string.IsNullOrEmpty(rangeHeader))
        {
            if (!ByteRange.TryResolve(rangeHeader, size, out var range))
            {
                headers.ContentRange = $"bytes */{size}";
                throw RegistryErrors.Create(ErrorCode.RangeInvalid, $"blob {digest}: range \"{rangeHeader}\" is not satisfiable for {size} bytes");
            }
            if (range is { } r)
            {
                offset = r.Start;
                count = r.Length;
                response.StatusCode = StatusCodes.Status206PartialContent;
                headers.ContentRange = $"bytes {r.Start}-{r.End}/{size}";
            }
        }
        response.ContentLength = count;
        if (HttpMethods.IsHead(context.Request.Method) || count == 0) return;
        services.Metrics.BlobBytesServed(count);
        await response.SendFileAsync(path, offset, count, context.RequestAborted);
    }

    public Task DeleteAsync(HttpContext context, string name, Digest digest)
    {
        services.EnsureWritable();
        if (!services.Settings.DeleteEnabled) throw RegistryErrors.Unsupported("deletion is disabled in this registry");
        if (!services.Storage.UnlinkBlob(name, digest)) throw RegistryErrors.BlobUnknown(digest.ToString());
        Responses.Empty(context.Response, StatusCodes.Status202Accepted);
        return Task.CompletedTask;
    }
}
