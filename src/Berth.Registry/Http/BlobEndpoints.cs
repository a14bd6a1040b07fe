using System.IO.Pipelines;
using Berth.Oci.Digests;
using Microsoft.Win32.SafeHandles;
using Berth.Registry.Distribution;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Http;

/// <summary>GET/HEAD/DELETE <c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>, with single byte ranges.</summary>
public sealed class BlobEndpoints(RegistryServices services)
{
    public async Task GetAsync(HttpContext context, string name, Digest digest)
    {
        var storage = services.Storage;
        long? known = storage.ReadableBlobSize(name, digest);
        if (known is null)
        {
            if (services.Upstream is null) throw RegistryErrors.BlobUnknown(digest.ToString());
            await services.Upstream.FetchBlobAsync(name, digest, context.RequestAborted);
            known = storage.ReadableBlobSize(name, digest) ?? throw RegistryErrors.BlobUnknown(digest.ToString());
        }
        long size = known.Value;

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
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(storage.Blobs.PathFor(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Removed (by gc) after the size was looked up.
            throw RegistryErrors.BlobUnknown(digest.ToString());
        }
        using (file)
        {
            services.Metrics.BlobBytesServed(count);
            await CopyAsync(file, offset, count, response.BodyWriter, context.RequestAborted);
        }
    }

    /// <summary>
    /// Reads the file straight into the response pipe's buffers in large pieces: one copy and few syscalls, where
    /// SendFileAsync would stage 64 KiB reads through a stream.
    /// </summary>
    private static async Task CopyAsync(SafeFileHandle file, long offset, long count, PipeWriter writer, CancellationToken cancellationToken)
    {
        const int Piece = 256 * 1024;
        long position = offset, remaining = count;
        while (remaining > 0)
        {
            var memory = writer.GetMemory((int)Math.Min(Piece, remaining));
            int want = (int)Math.Min(memory.Length, remaining);
            // Blob reads are served from the page cache nearly always: a synchronous pread costs less than a
            // thread-pool hop per piece.
            int read = RandomAccess.Read(file, memory.Span[..want], position);
            if (read == 0) throw new IOException($"blob file ended {remaining} bytes early");
            writer.Advance(read);
            position += read;
            remaining -= read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCompleted || flushed.IsCanceled) break;
        }
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
