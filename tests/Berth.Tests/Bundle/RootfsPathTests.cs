using Berth.Engine.Runtime.Bundle;

namespace Berth.Tests.Bundle;

public sealed class RootfsPathTests : IDisposable
{
    private readonly TempRootfs _rootfs = new(passwd: null, group: null);

    public void Dispose() => _rootfs.Dispose();

    [Theory]
    [InlineData("/etc/passwd", "etc/passwd")]
    [InlineData("etc/../etc/./passwd", "etc/passwd")]
    [InlineData("/../../../etc/passwd", "etc/passwd")]
    [InlineData("/", "")]
    public void Lexical_paths_stay_inside(string path, string expected)
    {
        string resolved = RootfsPath.SecureJoin(_rootfs.Path, path);

        Assert.Equal(Path.TrimEndingDirectorySeparator(Path.Combine(_rootfs.Path, expected)), resolved);
    }

    [Fact]
    public void Symlinks_are_resolved_relative_to_the_rootfs()
    {
        Directory.CreateDirectory(Path.Combine(_rootfs.Path, "real"));
        Directory.CreateSymbolicLink(Path.Combine(_rootfs.Path, "abs"), "/real");
        Directory.CreateSymbolicLink(Path.Combine(_rootfs.Path, "up"), "../../../../../..");
        Directory.CreateSymbolicLink(Path.Combine(_rootfs.Path, "real/rel"), "../real");

        Assert.Equal(_rootfs.Path + "/real/x", RootfsPath.SecureJoin(_rootfs.Path, "/abs/x"));
        Assert.Equal(_rootfs.Path + "/etc", RootfsPath.SecureJoin(_rootfs.Path, "/up/etc"));
        Assert.Equal(_rootfs.Path + "/real/y", RootfsPath.SecureJoin(_rootfs.Path, "/real/rel/rel/y"));
    }

    [Fact]
    public void Symlink_loops_are_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_rootfs.Path, "a"), "/b");
        File.CreateSymbolicLink(Path.Combine(_rootfs.Path, "b"), "/a");

        Assert.Throws<Berth.Oci.Errors.BerthException>(() => RootfsPath.SecureJoin(_rootfs.Path, "/a/x"));
    }
}
