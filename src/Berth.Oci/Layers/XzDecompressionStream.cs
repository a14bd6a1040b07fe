using SharpCompress.Compressors.Xz;

namespace Berth.Oci.Layers;

/// <summary>
/// SharpCompress's xz decoder over a read-ahead buffer, owning its input as GZipStream does (XZStream never disposes
/// the stream it reads).
/// </summary>
internal sealed class XzDecompressionStream : Stream
{
    private readonly ReadAheadStream _input;
    private readonly XZStream _decoder;

    public XzDecompressionStream(Stream compressed)
    {
        _input = new ReadAheadStream(compressed);
        _decoder = new XZStream(_input);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _decoder.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _decoder.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _decoder.ReadAsync(buffer, offset, count, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoder.Dispose();
            _input.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _decoder.DisposeAsync();
        await _input.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
