using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Berth.Cli.Build;

namespace Berth.Tests.Cli.Build;

/// <summary><c>berth build -</c>: a tar on stdin is the context as it is; anything else is the Dockerfile.</summary>
public sealed class StdinContextTests
{
    private static byte[] Tar(params (string Name, string Content)[] files)
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var (name, content) in files)
                writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        }
        return buffer.ToArray();
    }

    private static async Task<(byte[] Sent, string? Dockerfile)> SendAsync(byte[] stdin, string? dockerfileFlag = null)
    {
        var (write, dockerfile) = await StdinContext.OpenAsync(new MemoryStream(stdin), dockerfileFlag, CancellationToken.None);
        var sent = new MemoryStream();
        await write(sent, CancellationToken.None);
        return (sent.ToArray(), dockerfile);
    }

    [Fact]
    public async Task ATarIsSentUnchangedAndTheDaemonPicksTheDockerfile()
    {
        var tar = Tar(("Dockerfile", "FROM busybox\n"), ("a.txt", "a"));
        var (sent, dockerfile) = await SendAsync(tar);
        Assert.Equal(tar, sent);
        Assert.Null(dockerfile);
        Assert.Equal("sub/Dockerfile", (await SendAsync(tar, "sub/Dockerfile")).Dockerfile);
    }

    [Fact]
    public async Task ACompressedArchiveIsSentUnchanged()
    {
        var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Tar(("Dockerfile", "FROM busybox\n")));
        var (sent, _) = await SendAsync(gzipped.ToArray());
        Assert.Equal(gzipped.ToArray(), sent);
    }

    [Theory]
    [InlineData("FROM busybox\nRUN echo hi\n")]
    [InlineData("")]
    public async Task AnythingElseIsTheDockerfileOfAOneFileContext(string text)
    {
        var (sent, dockerfile) = await SendAsync(Encoding.UTF8.GetBytes(text));
        Assert.Equal("Dockerfile", dockerfile);
        using var reader = new TarReader(new MemoryStream(sent));
        var entry = reader.GetNextEntry(copyData: true)!;
        Assert.Equal(("Dockerfile", (UnixFileMode)0x1A4, 0, 0), (entry.Name, entry.Mode, entry.Uid, entry.Gid));
        Assert.Equal(text, new StreamReader(entry.DataStream ?? new MemoryStream()).ReadToEnd());
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public void TextWithDigitsWhereATarChecksumWouldBeIsNoTar()
        => Assert.False(StdinContext.IsArchive(Encoding.ASCII.GetBytes(new string('#', 148) + "0123456 " + new string('#', 356))));
}
