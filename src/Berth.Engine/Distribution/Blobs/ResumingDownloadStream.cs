using System.Net.Http.Headers;
using Berth.Engine.Distribution.Http;

namespace Berth.Engine.Distribution.Blobs;

/// <summary>
/// The body of a blob download that survives dropped connections: when the body breaks off before
/// <c>length</c> bytes, it asks again from the last byte received (<c>Range: bytes=N-</c>) and carries on, a bounded
/// number of times. A server that ignores the range and sends the whole blob again is read past the bytes already had.
/// </summary>
public sealed class ResumingDownloadStream : Stream
{
    private readonly Func<long, CancellationToken, Task<HttpResponseMessage>> _requestFrom;
    private readonly long _length;
    private readonly int _maxResumes;
    private HttpResponseMessage _response;
    private Stream _body;
    private long _position;
    private int _resumes;

    /// <param name="response">The first response, already checked to be a success.</param>
    /// <param name="requestFrom">Sends the GET again with a Range starting at the given offset.</param>
    /// <param name="length">The blob's size from its descriptor.</param>
    private ResumingDownloadStream(HttpResponseMessage response, Stream body, Func<long, CancellationToken, Task<HttpResponseMessage>> requestFrom, long length, int maxResumes)
    {
        _response = response;
        _body = body;
        _requestFrom = requestFrom;
        _length = length;
        _maxResumes = maxResumes;
    }

    public static async Task<ResumingDownloadStream> OpenAsync(HttpResponseMessage response, Func<long, CancellationToken, Task<HttpResponseMessage>> requestFrom, long length, int maxResumes, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new ResumingDownloadStream(response, body, requestFrom, length, maxResumes);
    }

    /// <summary>How many times the download was resumed.</summary>
    public int Resumes => _resumes;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            int read;
            try
            {
                read = await _body.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested && _resumes < _maxResumes)
            {
                await ResumeAsync(cancellationToken);
                continue;
            }
            if (read == 0 && _position < _length && _resumes < _maxResumes)
            {
                await ResumeAsync(cancellationToken);
                continue;
            }
            _position += read;
            return read;
        }
    }

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        _resumes++;
        await DisposeCurrentAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(100 * _resumes), cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await _requestFrom(_position, cancellationToken);
        }
        catch (RegistryException e) when (e.IsTransport && _resumes < _maxResumes)
        {
            // Still unreachable: count it as an attempt and let the next read try again.
            _body = Null;
            _response = new HttpResponseMessage();
            return;
        }
        if (response.StatusCode == System.Net.HttpStatusCode.PartialContent)
        {
            if (response.Content.Headers.ContentRange is not { From: { } from } || from != _position)
            {
                response.Dispose();
                throw new RegistryException($"resuming download at byte {_position}: the registry answered an unexpected range ({response.Content.Headers.ContentRange})");
            }
            _response = response;
            _body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return;
        }
        if (!response.IsSuccessStatusCode)
        {
            var error = await RegistryException.FromResponseAsync(response, cancellationToken);
            response.Dispose();
            throw error;
        }
        // A 200: the whole blob again. Skip what was already received.
        _response = response;
        _body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await SkipAsync(_body, _position, cancellationToken);
    }

    private static async Task SkipAsync(Stream body, long count, CancellationToken cancellationToken)
    {
        byte[] scratch = new byte[81920];
        while (count > 0)
        {
            int read = await body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, count)), cancellationToken);
            if (read == 0) throw new IOException("the registry's full response ended before the resume point");
            count -= read;
        }
    }

    /// <summary>The request header of a resumed download.</summary>
    public static RangeHeaderValue RangeFrom(long offset) => new(offset, null);

    private async ValueTask DisposeCurrentAsync()
    {
        try
        {
            await _body.DisposeAsync();
        }
        catch (IOException) { }
        _response.Dispose();
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            _response.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await DisposeCurrentAsync();
        await base.DisposeAsync();
    }
}
