namespace Berth.Oci.Layers;

/// <summary>
/// Reads its source in large chunks for a decoder that asks for a few bytes at a time (SharpCompress's xz and bzip2
/// decoders read byte by byte: through a request body that is one async call per byte, several times slower).
/// Position is the count of bytes handed out, which is all the xz decoder asks of it (it aligns blocks on 4 bytes).
/// Disposing it disposes the source.
/// </summary>
internal sealed class ReadAheadStream(Stream source, int bufferSize = 1 << 16) : Stream
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private int _start, _end;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        if (_start == _end)
        {
            _start = 0;
            _end = source.Read(_buffer);
        }
        return Take(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        if (_start == _end)
        {
            _start = 0;
            _end = await source.ReadAsync(_buffer, cancellationToken);
        }
        return Take(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    private int Take(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        _position += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) source.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await source.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
