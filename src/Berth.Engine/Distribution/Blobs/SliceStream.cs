namespace Berth.Engine.Distribution.Blobs;

/// <summary>A read-only window of <c>length</c> bytes of a seekable stream starting at <c>offset</c> (one upload chunk).</summary>
public sealed class SliceStream : Stream
{
    private readonly Stream _inner;
    private readonly long _length;
    private long _position;

    public SliceStream(Stream inner, long offset, long length)
    {
        _inner = inner;
        _inner.Seek(offset, SeekOrigin.Begin);
        _length = length;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        long left = _length - _position;
        if (left <= 0) return 0;
        int read = await _inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, left)], cancellationToken);
        _position += read;
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        long left = _length - _position;
        if (left <= 0) return 0;
        int read = _inner.Read(buffer, offset, (int)Math.Min(count, left));
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
