using System.Text;
using Berth.Client.Hijack;
using Berth.Client.Streams;

namespace Berth.Tests.Client;

public sealed class StreamTests
{
    [Fact]
    public async Task DemuxSplitsStdoutAndStderr()
    {
        var source = new MemoryStream();
        MultiplexedStreamReader.WriteFrame(source, StdStreamType.Stdout, "out1\n"u8);
        MultiplexedStreamReader.WriteFrame(source, StdStreamType.Stderr, "err\n"u8);
        MultiplexedStreamReader.WriteFrame(source, StdStreamType.Stdout, new byte[100_000]);
        MultiplexedStreamReader.WriteFrame(source, StdStreamType.Stdout, "end"u8);
        source.Position = 0;
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await new MultiplexedStreamReader(new TrickleStream(source, 3)).DemuxAsync(stdout, stderr, CancellationToken.None);
        Assert.Equal(5 + 100_000 + 3, stdout.Length);
        Assert.StartsWith("out1\n", Encoding.ASCII.GetString(stdout.ToArray()));
        Assert.Equal("err\n", Encoding.ASCII.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task TruncatedFrameIsAnError()
    {
        var source = new MemoryStream();
        MultiplexedStreamReader.WriteFrame(source, StdStreamType.Stdout, "hello"u8);
        var bytes = source.ToArray()[..10];
        await Assert.ThrowsAsync<EndOfStreamException>(() =>
            new MultiplexedStreamReader(new MemoryStream(bytes)).DemuxAsync(Stream.Null, Stream.Null, CancellationToken.None));
    }

    [Fact]
    public async Task SystemErrorFrameRaises()
    {
        var source = new MemoryStream();
        MultiplexedStreamReader.WriteFrame(source, StdStreamType.SystemError, "boom"u8);
        source.Position = 0;
        var error = await Assert.ThrowsAsync<IOException>(() =>
            new MultiplexedStreamReader(source).DemuxAsync(Stream.Null, Stream.Null, CancellationToken.None));
        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public async Task JsonMessagesAreReadAcrossChunkBoundaries()
    {
        var text = "{\"status\":\"a\"}\r\n{\"status\":\"b\",\"progressDetail\":{}}{\"stream\":\"Loaded image: x\\n\"}\n";
        var messages = new List<string>();
        await foreach (var message in JsonMessageReader.ReadAllAsync(new TrickleStream(new MemoryStream(Encoding.UTF8.GetBytes(text)), 5), CancellationToken.None))
            messages.Add(message.ToJsonString());
        Assert.Equal(3, messages.Count);
        Assert.Contains("Loaded image", messages[2]);
    }

    [Fact]
    public void ResponseHeadsParse()
    {
        var head = HttpResponseHead.Parse("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\n\r\n");
        Assert.Equal(101, head.StatusCode);
        Assert.Equal("application/vnd.docker.raw-stream", head.Header("content-type"));
    }

    /// <summary>Hands out at most a few bytes per read, as a slow socket would.</summary>
    private sealed class TrickleStream(Stream inner, int max) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, max));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => inner.ReadAsync(buffer[..Math.Min(buffer.Length, max)], cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
