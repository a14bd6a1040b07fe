using Berth.Oci.Errors;
using Berth.Oci.Layers;

namespace Berth.Tests.Layers;

/// <summary>Crafted layers must never write outside the target directory.</summary>
public sealed class LayerApplierSecurityTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<AppliedLayer> Apply(TestTar tar) => LayerApplier.ApplyAsync(tar.ToStream(), _dir.Root, CancellationToken.None);

    private async Task<BerthException> Refused(TestTar tar)
    {
        var error = await Assert.ThrowsAsync<BerthException>(() => Apply(tar));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.True(_dir.NothingEscaped, "something was written outside the layer root");
        return error;
    }

    [Fact]
    public async Task DotDotEntryIsRefused()
    {
        var error = await Refused(new TestTar().File("../sentinel/evil", "x"));
        Assert.Equal("invalid tar header: \"../sentinel/evil\" is outside of the layer root", error.Message);
    }

    [Fact]
    public async Task DotDotHiddenBehindADirectoryIsRefused()
    {
        var error = await Refused(new TestTar().File("a/../../x", "x"));
        Assert.Contains("is outside of the layer root", error.Message);
    }

    [Fact]
    public async Task AbsoluteEntryIsContainedInTheRoot()
    {
        await Apply(new TestTar().File("/abs/evil", "x"));
        Assert.Equal("x", File.ReadAllText(_dir["abs/evil"]));
        Assert.True(_dir.NothingEscaped);
    }

    [Fact]
    public async Task EntryThroughAnAbsoluteSymlinkIsRefused()
    {
        var error = await Refused(new TestTar().Symlink("a", _dir.Sentinel).File("a/evil", "x"));
        Assert.Equal("invalid tar header: \"a/evil\" goes through symlink \"a\"", error.Message);
    }

    [Fact]
    public async Task EntryThroughARootSymlinkIsRefused()
    {
        await Refused(new TestTar().Symlink("a", "/").File("a/etc/evil", "x"));
        Assert.False(File.Exists("/etc/evil"));
    }

    [Fact]
    public async Task EntryThroughARelativeSymlinkIsRefused()
    {
        await Refused(new TestTar().Dir("d").Symlink("d/up", "../../sentinel").Dir("d/up/x"));
    }

    [Fact]
    public async Task DirectoryEntryOverASymlinkReplacesTheLinkInsteadOfFollowingIt()
    {
        await Apply(new TestTar().Symlink("a", _dir.Sentinel).Dir("a").File("a/f", "x"));
        Assert.True(Directory.Exists(_dir["a"]) && new DirectoryInfo(_dir["a"]).LinkTarget is null);
        Assert.True(_dir.NothingEscaped);
    }

    [Fact]
    public async Task FileEntryOverASymlinkReplacesTheLink()
    {
        await Apply(new TestTar().Symlink("f", Path.Combine(_dir.Sentinel, "f")).File("f", "x"));
        Assert.Null(new FileInfo(_dir["f"]).LinkTarget);
        Assert.Equal("x", File.ReadAllText(_dir["f"]));
        Assert.True(_dir.NothingEscaped);
    }

    [Fact]
    public async Task SymlinksAreWrittenVerbatimAndNotFollowed()
    {
        await Apply(new TestTar().Symlink("passwd", "/etc/passwd").Symlink("up", "../../.."));
        Assert.Equal("/etc/passwd", new FileInfo(_dir["passwd"]).LinkTarget);
        Assert.Equal("../../..", new FileInfo(_dir["up"]).LinkTarget);
    }

    [Fact]
    public async Task HardLinkOutsideTheRootIsRefused()
    {
        var error = await Refused(new TestTar().HardLink("h", "../../etc/passwd"));
        Assert.Equal("invalid tar header: hard link \"h\" to \"../../etc/passwd\" is outside of the layer root", error.Message);
        Assert.False(File.Exists(_dir["h"]));
    }

    [Fact]
    public async Task HardLinkThroughASymlinkIsRefused()
    {
        string outside = Path.Combine(_dir.Base, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret"), "s");
        await Assert.ThrowsAsync<BerthException>(() => Apply(new TestTar().Symlink("a", outside).HardLink("h", "a/secret")));
        Assert.False(File.Exists(_dir["h"]));
        Assert.Equal(1, (int)Berth.Oci.Native.PosixFiles.Lstat(Path.Combine(outside, "secret")).NLink);
    }

    [Fact]
    public async Task HardLinkToAMissingFileIsRefused()
    {
        var error = await Assert.ThrowsAsync<BerthException>(() => Apply(new TestTar().HardLink("h", "nowhere")));
        Assert.Contains("no such file or directory", error.Message);
    }

    [Theory]
    [InlineData(".wh..")]
    [InlineData(".wh.")]
    [InlineData("../.wh.x")]
    public async Task WhiteoutsThatNameNothingInsideAreRefused(string name)
    {
        await Refused(new TestTar().File(name));
    }
}
