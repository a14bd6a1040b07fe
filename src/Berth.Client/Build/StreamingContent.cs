namespace Berth.Client.Build;

/// <summary>
/// A request body written by a callback straight onto the connection, with no length (sent chunked, as docker sends
/// a build context): a context of any size goes out as it is read from disk, never held in memory.
/// </summary>
internal sealed class StreamingContent(Func<Stream, CancellationToken, Task> write) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        => write(stream, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        => write(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
