using Berth.Engine.Runtime.Bundle;
using Berth.Oci.Errors;

namespace Berth.Tests.Bundle;

/// <summary>Expected values are what the reference dockerd gave for the same passwd/group files.</summary>
public sealed class UserResolverTests : IDisposable
{
    private readonly TempRootfs _rootfs = new();

    public void Dispose() => _rootfs.Dispose();

    [Theory]
    [InlineData("", 0u, 0u, new uint[] { 0, 10 }, "/root")]
    [InlineData("root", 0u, 0u, new uint[] { 0, 10 }, "/root")]
    [InlineData("alice", 1001u, 1001u, new uint[] { 1001, 10, 100 }, "/home/alice")]
    [InlineData("1001", 1001u, 1001u, new uint[] { 1001, 10, 100 }, "/home/alice")]
    [InlineData("bob", 1002u, 100u, new uint[] { 100, 50 }, "/home/bob")]
    [InlineData("nobody", 65534u, 65534u, new uint[] { 65534 }, "/nonexistent")]
    [InlineData("2000", 2000u, 0u, new uint[] { 0 }, "/")]
    [InlineData("2000:3000", 2000u, 3000u, new uint[] { 3000 }, "/")]
    [InlineData("alice:users", 1001u, 100u, new uint[] { 100 }, "/home/alice")]
    [InlineData("1001:staff", 1001u, 50u, new uint[] { 50 }, "/home/alice")]
    [InlineData("alice:2222", 1001u, 2222u, new uint[] { 2222 }, "/home/alice")]
    public void Resolves_like_docker(string user, uint uid, uint gid, uint[] gids, string home)
    {
        var resolved = UserResolver.Resolve(_rootfs.Path, user, []);

        Assert.Equal(uid, resolved.Uid);
        Assert.Equal(gid, resolved.Gid);
        Assert.Equal(gids, resolved.AdditionalGids);
        Assert.Equal(home, resolved.Home);
    }

    [Fact]
    public void Group_add_comes_last_by_name_or_number()
    {
        var resolved = UserResolver.Resolve(_rootfs.Path, "nobody", ["4444", "wheel", "staff"]);

        Assert.Equal([65534u, 4444, 10, 50], resolved.AdditionalGids);
    }

    [Fact]
    public void Unknown_user_name_is_dockers_error()
    {
        var error = Assert.Throws<BerthException>(() => UserResolver.Resolve(_rootfs.Path, "ghost", []));

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal("unable to find user ghost: no matching entries in passwd file", error.Message);
    }

    [Fact]
    public void Unknown_group_names_are_dockers_errors()
    {
        Assert.Equal("unable to find group ghostgrp: no matching entries in group file",
            Assert.Throws<BerthException>(() => UserResolver.Resolve(_rootfs.Path, "alice:ghostgrp", [])).Message);
        Assert.Equal("Unable to find group ghostgrp: no matching entries in group file",
            Assert.Throws<BerthException>(() => UserResolver.Resolve(_rootfs.Path, "", ["ghostgrp"])).Message);
    }

    [Fact]
    public void Without_passwd_and_group_files_numbers_still_work()
    {
        using var empty = new TempRootfs(passwd: null, group: null);

        var root = UserResolver.Resolve(empty.Path, "", []);
        var numeric = UserResolver.Resolve(empty.Path, "1000:1000", ["5"]);

        Assert.Equal((0u, 0u, "/"), (root.Uid, root.Gid, root.Home));
        Assert.Equal([0u], root.AdditionalGids);
        Assert.Equal((1000u, 1000u), (numeric.Uid, numeric.Gid));
        Assert.Equal([1000u, 5], numeric.AdditionalGids);
        Assert.Throws<BerthException>(() => UserResolver.Resolve(empty.Path, "nobody", []));
    }

    [Fact]
    public void Ids_out_of_range_are_refused()
    {
        var error = Assert.Throws<BerthException>(() => UserResolver.Resolve(_rootfs.Path, "4294967296", []));

        Assert.Equal("uids and gids must be in range 0-2147483647", error.Message);
    }

    [Fact]
    public void A_passwd_symlink_leaving_the_rootfs_is_read_inside_it()
    {
        using var outside = new TempRootfs(passwd: "evil:x:0:0::/evil:/bin/sh", group: null);
        using var rootfs = new TempRootfs(passwd: null, group: null);
        // Absolute and ../ targets both resolve inside the rootfs, where there is no such file.
        File.CreateSymbolicLink(Path.Combine(rootfs.Path, "etc/passwd"), Path.Combine(outside.Path, "etc/passwd"));
        File.CreateSymbolicLink(Path.Combine(rootfs.Path, "etc/group"), "../../../../../../" + outside.Path + "/etc/passwd");

        Assert.Throws<BerthException>(() => UserResolver.Resolve(rootfs.Path, "evil", []));
        Assert.Equal([0u], UserResolver.Resolve(rootfs.Path, "", ["0"]).AdditionalGids);
    }

    [Fact]
    public void A_passwd_symlink_inside_the_rootfs_is_followed()
    {
        using var rootfs = new TempRootfs(passwd: null, group: null);
        Directory.CreateDirectory(Path.Combine(rootfs.Path, "usr/share"));
        File.WriteAllText(Path.Combine(rootfs.Path, "usr/share/passwd"), "app:x:77:88::/srv/app:/bin/sh\n");
        File.CreateSymbolicLink(Path.Combine(rootfs.Path, "etc/passwd"), "/usr/share/passwd");

        var resolved = UserResolver.Resolve(rootfs.Path, "app", []);

        Assert.Equal((77u, 88u, "/srv/app"), (resolved.Uid, resolved.Gid, resolved.Home));
    }
}
