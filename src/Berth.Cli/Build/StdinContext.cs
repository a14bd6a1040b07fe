namespace Berth.Cli.Build;

/// <summary>
/// <c>berth build -</c>: stdin is the context when it is an archive (a tar, or compressed: the daemon unpacks it), sent
/// as it comes; otherwise it is a Dockerfile, sent as the only file of a context (docker's GetContextFromReader).
/// </summary>
public static class StdinContext
{
    private const int TarBlock = 512;

    /// <summary>The context's writer and the Dockerfile name to ask for (-f inside the archive, else the default).</summary>
    public static async Task<(Func<Stream, CancellationToken, Task> Write, string? Dockerfile)> OpenAsync(Stream stdin,
        string? dockerfileFlag, CancellationToken cancellationToken)
    {
        var head = new byte[TarBlock];
        int filled = await stdin.ReadAtLeastAsync(head, TarBlock, throwOnEndOfStream: false, cancellationToken);
        head = head[..filled];
        if (IsArchive(head))
        {
            return (async (output, token) =>
            {
                await output.WriteAsync(head, token);
                await stdin.CopyToAsync(output, token);
            }, string.IsNullOrEmpty(dockerfileFlag) ? null : dockerfileFlag);
        }
        // Not an archive: all of stdin is the Dockerfile.
        using var dockerfile = new MemoryStream();
        dockerfile.Write(head);
        await stdin.CopyToAsync(dockerfile, cancellationToken);
        var entry = new GeneratedEntry(LocalContext.DefaultDockerfileName, dockerfile.ToArray(),
            (UnixFileMode)0x1A4 /* 0644, as docker's temporary file gets */, DateTimeOffset.UtcNow);
        var archive = new ContextArchive([], [entry]);
        return (archive.WriteAsync, LocalContext.DefaultDockerfileName);
    }

    /// <summary>docker's IsArchive: a known compression's magic bytes, or a first block that reads as a tar header.</summary>
    public static bool IsArchive(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((byte[])[0x1F, 0x8B, 0x08]) // gzip
            || head.StartsWith("BZh"u8) // bzip2
            || head.StartsWith((byte[])[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) // xz
            || head.StartsWith((byte[])[0x28, 0xB5, 0x2F, 0xFD])) // zstd
            return true;
        return head.Length >= TarBlock && HasValidTarChecksum(head[..TarBlock]);
    }

    /// <summary>
    /// A tar header block's checksum (the sum of its bytes, the checksum field counted as spaces) matches the field:
    /// what makes Go's tar reader accept a first block. A Dockerfile's text would match it only by chance.
    /// </summary>
    private static bool HasValidTarChecksum(ReadOnlySpan<byte> block)
    {
        var field = block.Slice(148, 8);
        var digits = System.Text.Encoding.ASCII.GetString(field).Trim(' ', '\0');
        if (digits.Length == 0 || digits.Any(c => c is < '0' or > '7'))
            return false;
        long expected = Convert.ToInt64(digits, 8);
        long unsigned = 0, signed = 0;
        for (var i = 0; i < block.Length; i++)
        {
            byte b = i is >= 148 and < 156 ? (byte)' ' : block[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        return expected == unsigned || expected == signed;
    }
}
