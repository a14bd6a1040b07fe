using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.Tests.References;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36")]
    [InlineData("user/app", "docker.io/user/app:latest", "user/app:latest")]
    [InlineData("index.docker.io/library/busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("localhost:5000/ns/app:v1", "localhost:5000/ns/app:v1", "localhost:5000/ns/app:v1")]
    [InlineData("localhost/app", "localhost/app:latest", "localhost/app:latest")]
    [InlineData("registry.example.com/a/b/c", "registry.example.com/a/b/c:latest", "registry.example.com/a/b/c:latest")]
    [InlineData("[::1]:5000/app", "[::1]:5000/app:latest", "[::1]:5000/app:latest")]
    public void Normalizes_like_docker(string input, string canonical, string familiar)
    {
        var reference = ImageReference.Parse(input);
        Assert.Equal(canonical, reference.ToString());
        Assert.Equal(familiar, reference.FamiliarString);
    }

    [Fact]
    public void Keeps_a_digest_without_adding_latest()
    {
        const string digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var reference = ImageReference.Parse("busybox@" + digest);
        Assert.Null(reference.Tag);
        Assert.Equal(digest, reference.Digest.ToString());
        Assert.Equal("busybox@" + digest, reference.FamiliarString);
    }

    [Theory]
    [InlineData("")]
    [InlineData("UPPER")]
    [InlineData("bad name")]
    [InlineData("a//b")]
    [InlineData("app:")]
    [InlineData("app@sha256:short")]
    [InlineData("-leading")]
    public void Refuses_invalid_references(string input)
    {
        var error = Assert.Throws<BerthException>(() => ImageReference.Parse(input));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.StartsWith("invalid reference format", error.Message);
    }

    [Fact]
    public void Uppercase_repository_names_get_dockers_message()
    {
        var error = Assert.Throws<BerthException>(() => ImageReference.Parse("Busybox"));
        Assert.Equal("invalid reference format: repository name (library/Busybox) must be lowercase", error.Message);
    }

    [Fact]
    public void Recognizes_full_ids()
    {
        Assert.True(ImageReference.LooksLikeFullId(new string('a', 64)));
        Assert.True(ImageReference.LooksLikeFullId("sha256:" + new string('b', 64)));
        Assert.False(ImageReference.LooksLikeFullId("busybox"));
    }
}
