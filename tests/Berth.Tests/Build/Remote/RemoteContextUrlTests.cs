using Berth.Api.BuildContext.Remote;

namespace Berth.Tests.Build.Remote;

/// <summary>Docker's urlutil rules for what a build's PATH | URL names, and how a git URL's fragment is read.</summary>
public sealed class RemoteContextUrlTests
{
    [Theory]
    [InlineData("git://example.test/repo", RemoteContextKind.Git)]
    [InlineData("git@example.test:owner/repo.git", RemoteContextKind.Git)]
    [InlineData("github.com/owner/repo", RemoteContextKind.Git)]
    [InlineData("https://example.test/owner/repo.git", RemoteContextKind.Git)]
    [InlineData("http://example.test/repo.git#main:docker", RemoteContextKind.Git)]
    [InlineData("https://example.test/context.tar.gz", RemoteContextKind.Url)]
    [InlineData("http://example.test/Dockerfile", RemoteContextKind.Url)]
    [InlineData("https://example.test/repo.git?x=1", RemoteContextKind.Url)]
    [InlineData("https://example.test/repogit", RemoteContextKind.Url)]
    [InlineData("./context", RemoteContextKind.None)]
    [InlineData("/abs/context", RemoteContextKind.None)]
    [InlineData("example.test/repo.git", RemoteContextKind.None)]
    [InlineData("ftp://example.test/context.tar", RemoteContextKind.None)]
    [InlineData("-", RemoteContextKind.None)]
    public void Classifies_as_docker_does(string text, RemoteContextKind expected)
        => Assert.Equal(expected, RemoteContextUrl.Classify(text));

    [Theory]
    [InlineData("git://example.test/repo", "git://example.test/repo", "master", "")]
    [InlineData("git://example.test/repo#feature", "git://example.test/repo", "feature", "")]
    [InlineData("git://example.test/repo#feature:sub/dir", "git://example.test/repo", "feature", "sub/dir")]
    [InlineData("git://example.test/repo#:sub", "git://example.test/repo", "master", "sub")]
    [InlineData("https://example.test/repo.git#v1.0:a%20b", "https://example.test/repo.git", "v1.0", "a b")]
    [InlineData("github.com/owner/repo#dev", "https://github.com/owner/repo", "dev", "")]
    [InlineData("git@example.test:owner/repo.git#refs/tags/v1:ctx", "git@example.test:owner/repo.git", "refs/tags/v1", "ctx")]
    public void Splits_the_fragment_into_ref_and_subdirectory(string url, string remote, string gitRef, string subdirectory)
        => Assert.Equal(new GitRepository(remote, gitRef, subdirectory), GitRepository.Parse(url));

    [Fact]
    public void A_ref_that_git_would_take_for_an_option_is_refused()
    {
        var e = Assert.Throws<RemoteContextException>(() => GitRepository.Parse("git://example.test/repo#--upload-pack=x"));
        Assert.Equal("invalid refspec: --upload-pack=x", e.Message);
    }

    [Theory]
    [InlineData("git://h/r", "git")]
    [InlineData("https://h/r.git", "https")]
    [InlineData("git@h:r.git", "")]
    public void Knows_the_transport(string url, string scheme) => Assert.Equal(scheme, GitRepository.Parse(url).Scheme);
}
