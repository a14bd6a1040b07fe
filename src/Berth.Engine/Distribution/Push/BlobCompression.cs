namespace Berth.Engine.Distribution.Push;

public enum BlobCompression
{
    None,
    Gzip,
    Zstd,
}

/// <summary>Recognises a layer blob's compression by its magic bytes (how Docker and containerd tell them apart too).</summary>
public static class BlobCompressionSniffer
{
    public static BlobCompression Of(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b ? BlobCompression.Gzip
        : head.Length >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd ? BlobCompression.Zstd
        : BlobCompression.None;

    public static async Task<BlobCompression> OfAsync(Stream blob, CancellationToken cancellationToken)
    {
        byte[] head = new byte[4];
        int total = 0, read;
        while (total < head.Length && (read = await blob.ReadAsync(head.AsMemory(total), cancellationToken)) > 0) total += read;
        return Of(head.AsSpan(0, total));
    }
}
