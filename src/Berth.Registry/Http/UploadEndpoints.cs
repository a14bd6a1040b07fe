using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Registry.Distribution;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Http;

/// <summary>
/// Blob uploads: monolithic (POST ?digest=), chunked/streamed (POST, PATCH..., PUT ?digest=), status (GET), cancel
/// (DELETE) and cross-repository mount (POST ?mount=&amp;from=).
/// </summary>
public sealed class UploadEndpoints(RegistryServices services)
{
    private BlobUploadArea Uploads => services.Storage.Uploads;

    public async Task StartAsync(HttpContext context, string name, bool mountAllowed)
    {
        services.EnsureWritable();
        var query = context.Request.Query;
        var response = context.Response;

        string? mount = query["mount"];
        string? from = query["from"];
        if (mount is not null && from is not null && mountAllowed)
        {
            var mountDigest = Names.Digest(mount);
            if (RepositoryName.IsValid(from) && services.Storage.IsBlobLinked(from, mountDigest) && services.Storage.Blobs.Exists(mountDigest))
            {
                services.Storage.LinkBlob(name, mountDigest);
                Created(response, name, mountDigest);
                return;
            }
            // Not mountable: the spec says to fall back to an ordinary upload session.
        }

        string? digestText = query["digest"];
        if (digestText is not null)
        {
            var digest = Names.Digest(digestText);
            try
            {
                await services.Storage.Blobs.WriteAsync(context.Request.Body, digest, context.Request.ContentLength, context.RequestAborted);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Invalid)
            {
                throw RegistryErrors.DigestInvalid($"provided digest did not match uploaded content: {e.Message}");
            }
            services.Storage.LinkBlob(name, digest);
            Created(response, name, digest);
            return;
        }

        var upload = Uploads.Create(name);
        services.Metrics.UploadStarted();
        SessionHeaders(response, name, upload.Id, 0);
        Responses.Empty(response, StatusCodes.Status202Accepted);
    }

    public async Task PatchAsync(HttpContext context, string name, string id)
    {
        services.EnsureWritable();
        var upload = Find(name, id);
        long size = await AppendAsync(context, upload, requireRange: false);
        SessionHeaders(context.Response, name, id, size);
        Responses.Empty(context.Response, StatusCodes.Status202Accepted);
    }

    public async Task FinishAsync(HttpContext context, string name, string id)
    {
        services.EnsureWritable();
        var upload = Find(name, id);
        string? digestText = context.Request.Query["digest"];
        if (string.IsNullOrEmpty(digestText)) throw RegistryErrors.DigestInvalid("digest missing: PUT needs ?digest=");
        var digest = Names.Digest(digestText);
        if (HasBody(context.Request)) await AppendAsync(context, upload, requireRange: false);
        try
        {
            await upload.CommitAsync(digest, context.RequestAborted);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Invalid)
        {
            throw RegistryErrors.DigestInvalid($"provided digest did not match uploaded content: {e.Message}");
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw RegistryErrors.UploadUnknown(id);
        }
        services.Storage.LinkBlob(name, digest);
        Created(context.Response, name, digest);
    }

    public Task StatusAsync(HttpContext context, string name, string id)
    {
        var upload = Find(name, id);
        long size;
        try { size = upload.Size; }
        catch (BerthException) { throw RegistryErrors.UploadUnknown(id); }
        SessionHeaders(context.Response, name, id, size);
        Responses.Empty(context.Response, StatusCodes.Status204NoContent);
        return Task.CompletedTask;
    }

    public Task CancelAsync(HttpContext context, string name, string id)
    {
        services.EnsureWritable();
        Find(name, id).Cancel();
        Responses.Empty(context.Response, StatusCodes.Status204NoContent);
        return Task.CompletedTask;
    }

    private BlobUpload Find(string name, string id)
    {
        var upload = Uploads.Find(id);
        if (upload is null || upload.Owner != name) throw RegistryErrors.UploadUnknown(id);
        return upload;
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private async Task<long> AppendAsync(HttpContext context, BlobUpload upload, bool requireRange)
    {
        var request = context.Request;
        long? offset = null, length = request.ContentLength;
        string? contentRange = request.Headers.ContentRange;
        if (!string.IsNullOrEmpty(contentRange))
        {
            if (!TryParseContentRange(contentRange, out long start, out long end))
                throw RegistryErrors.Create(ErrorCode.BlobUploadInvalid, $"blob upload {upload.Id}: Content-Range \"{contentRange}\" is not \"<start>-<end>\"");
            if (end < start) throw OutOfOrder(context, upload, $"Content-Range \"{contentRange}\" ends before it starts");
            offset = start;
            if (length is { } declared && declared != end - start + 1)
                throw RegistryErrors.Create(ErrorCode.BlobUploadInvalid,
                    $"blob upload {upload.Id}: Content-Range \"{contentRange}\" covers {end - start + 1} bytes but Content-Length is {declared}", 416);
            length = end - start + 1;
        }
        else if (requireRange)
        {
            throw RegistryErrors.Create(ErrorCode.BlobUploadInvalid, $"blob upload {upload.Id}: Content-Range is required");
        }
        try
        {
            long size = await upload.AppendAsync(request.BodyReader, offset, length, context.RequestAborted);
            return size;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Conflict)
        {
            throw OutOfOrder(context, upload, e.Message);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Invalid)
        {
            throw RegistryErrors.Create(ErrorCode.BlobUploadInvalid, e.Message);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw RegistryErrors.UploadUnknown(upload.Id);
        }
    }

    /// <summary>416 with the session's current range, so the client knows where to resume.</summary>
    private static BerthException OutOfOrder(HttpContext context, BlobUpload upload, string message)
    {
        long size = 0;
        try { size = upload.Size; } catch (BerthException) { }
        context.Response.Headers.Range = RangeHeader(size);
        context.Response.Headers.Location = context.Request.Path.Value;
        context.Response.Headers["Docker-Upload-UUID"] = upload.Id;
        return RegistryErrors.Create(ErrorCode.BlobUploadInvalid, $"blob upload {upload.Id}: {message}", StatusCodes.Status416RangeNotSatisfiable);
    }

    private static bool TryParseContentRange(string header, out long start, out long end)
    {
        start = end = 0;
        var text = header.AsSpan().Trim();
        if (text.StartsWith("bytes", StringComparison.OrdinalIgnoreCase)) text = text[5..].TrimStart(" =").Trim();
        int slash = text.IndexOf('/');
        if (slash >= 0) text = text[..slash];
        int dash = text.IndexOf('-');
        return dash > 0
            && long.TryParse(text[..dash], System.Globalization.NumberStyles.None, null, out start)
            && long.TryParse(text[(dash + 1)..], System.Globalization.NumberStyles.None, null, out end);
    }

    /// <summary>docker-registry's convention: "0-&lt;last byte&gt;", and "0-0" for an empty session.</summary>
    private static string RangeHeader(long size) => $"0-{Math.Max(0, size - 1)}";

    private static void SessionHeaders(HttpResponse response, string name, string id, long size)
    {
        response.Headers.Location = $"/v2/{name}/blobs/uploads/{id}";
        response.Headers.Range = RangeHeader(size);
        response.Headers["Docker-Upload-UUID"] = id;
    }

    private static void Created(HttpResponse response, string name, Digest digest)
    {
        response.Headers.Location = $"/v2/{name}/blobs/{digest}";
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        Responses.Empty(response, StatusCodes.Status201Created);
    }
}
