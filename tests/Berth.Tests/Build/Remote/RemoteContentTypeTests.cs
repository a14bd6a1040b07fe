using System.Text;
using Berth.Api.BuildContext.Remote;
using Berth.Build.Remote;

namespace Berth.Tests.Build.Remote;

/// <summary>Docker's rule for a downloaded build context: text is the Dockerfile, an archive the context, HTML refused.</summary>
public sealed class RemoteContentTypeTests
{
    private static readonly byte[] Dockerfile = Encoding.UTF8.GetBytes("FROM busybox\nRUN true\n");
    private static readonly byte[] Gzip = [0x1f, 0x8b, 0x08, 0, 0, 0];
    private static readonly byte[] TarHeader = [.. Encoding.ASCII.GetBytes("Dockerfile"), .. new byte[90]];

    [Theory]
    [InlineData("text/plain", true)]
    [InlineData("text/plain; charset=utf-8", true)]
    [InlineData("application/x-tar", false)]
    [InlineData("application/gzip", false)]
    [InlineData("application/x-xz", false)]
    public void The_servers_content_type_decides(string contentType, bool isDockerfile)
        => Assert.Equal(isDockerfile, RemoteContentType.IsDockerfile(contentType, Dockerfile));

    [Fact]
    public void Without_a_useful_type_the_first_bytes_decide()
    {
        Assert.True(RemoteContentType.IsDockerfile(null, Dockerfile));
        Assert.True(RemoteContentType.IsDockerfile("application/octet-stream", Dockerfile));
        Assert.False(RemoteContentType.IsDockerfile(null, Gzip));
        Assert.False(RemoteContentType.IsDockerfile("application/octet-stream", TarHeader));
    }

    [Fact]
    public void An_html_page_and_an_empty_body_are_refused()
    {
        var html = Assert.Throws<RemoteContextException>(() => RemoteContentType.IsDockerfile("text/html; charset=utf-8", Dockerfile));
        Assert.Equal("unsupported Content-Type \"text/html; charset=utf-8\"", html.Message);
        Assert.Throws<RemoteContextException>(() => RemoteContentType.IsDockerfile(null, "<!DOCTYPE html><html>"u8.ToArray()));
        Assert.Equal("empty response", Assert.Throws<RemoteContextException>(() => RemoteContentType.IsDockerfile("text/plain", [])).Message);
    }
}
