using System.Formats.Tar;
using Berth.Cli.Copy;

namespace Berth.Tests.Cli;

public sealed class CopyPathTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("berth-copy-").FullName;

    [Theory]
    [InlineData("/a/b", "/a", "b")]
    [InlineData("/a/b/", "/a", "b")]
    [InlineData("/a/b/.", "/a/b", ".")]
    [InlineData("b", ".", "b")]
    [InlineData("/", "/", "")]
    [InlineData("/.", "/", ".")]
    public void Split_names_the_entry_docker_cp_copies(string path, string directory, string entry) =>
        Assert.Equal((directory, entry), CopyPath.SplitDirectoryEntry(path));

    [Theory]
    [InlineData("./a", ".", "x", "x/a")]
    [InlineData("./", ".", "x", "x/")]
    [InlineData("d/sub/b", "d", "new", "new/sub/b")]
    [InlineData("d", "d", "new", "new")]
    [InlineData("dd/b", "d", "new", "dd/b")]
    public void Rebase_renames_only_the_archive_root(string name, string oldBase, string newBase, string expected) =>
        Assert.Equal(expected, CopyPath.Rebase(name, oldBase, newBase));

    [Theory]
    [InlineData(false, true, true, "/dst", "a")] // into an existing directory, under its own name
    [InlineData(false, true, false, "/", "dst")] // onto an existing file: takes its name
    [InlineData(false, false, false, "/", "dst")] // to a new path: takes its name
    [InlineData(true, false, false, "/", "dst")] // a directory to a new path: becomes it
    public void Plan_follows_dockers_rules(bool sourceIsDirectory, bool exists, bool destinationIsDirectory, string directory, string root)
    {
        var plan = CopyPlan.Prepare(new CopySource("/src/a", sourceIsDirectory), new CopyDestination("/dst", exists, destinationIsDirectory));
        Assert.Equal(new CopyPlan(directory, root), plan);
    }

    [Fact]
    public void Plan_refuses_what_docker_refuses()
    {
        Assert.Equal("cannot copy directory",
            Assert.Throws<CopyException>(() => CopyPlan.Prepare(new CopySource("/s", true), new CopyDestination("/f", true, false))).Message);
        Assert.Equal("no such directory",
            Assert.Throws<CopyException>(() => CopyPlan.Prepare(new CopySource("/s", false), new CopyDestination("/new/", false, false))).Message);
    }

    [Fact]
    public void A_symlink_that_was_followed_keeps_the_name_it_was_asked_by() =>
        Assert.Equal(("/d/a", "link"), CopyPath.RebaseFor("/d/link", "/d/a"));

    [Theory]
    [InlineData("../escape")]
    [InlineData("root/../../escape")]
    public async Task Entries_that_leave_the_destination_are_refused(string name)
    {
        var tar = Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("x"u8.ToArray()) }));
        string destination = Directory.CreateDirectory(Path.Combine(_work, "dest")).FullName;
        await Assert.ThrowsAsync<CopyException>(() => new HostArchiveExtractor(destination, "root", "root").ExtractAsync(tar, CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(_work, "escape")));
    }

    [Fact]
    public async Task An_entry_under_a_symlink_the_archive_made_is_refused()
    {
        string outside = Directory.CreateDirectory(Path.Combine(_work, "outside")).FullName;
        var tar = Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "root/"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "root/out") { LinkName = outside });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "root/out/planted") { DataStream = new MemoryStream("x"u8.ToArray()) });
        });
        string destination = Directory.CreateDirectory(Path.Combine(_work, "dest")).FullName;
        await Assert.ThrowsAsync<CopyException>(() => new HostArchiveExtractor(destination, "root", "copy").ExtractAsync(tar, CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(outside, "planted")));
        Assert.Equal(outside, new FileInfo(Path.Combine(destination, "copy", "out")).LinkTarget);
    }

    [Fact]
    public async Task A_directory_is_never_replaced_by_a_file()
    {
        string destination = Directory.CreateDirectory(Path.Combine(_work, "dest", "taken")).Parent!.FullName;
        var tar = Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "taken") { DataStream = new MemoryStream("x"u8.ToArray()) }));
        var error = await Assert.ThrowsAsync<CopyException>(() => new HostArchiveExtractor(destination, "taken", "taken").ExtractAsync(tar, CancellationToken.None));
        Assert.StartsWith("cannot overwrite directory", error.Message);
        Assert.True(Directory.Exists(Path.Combine(destination, "taken")));
    }

    [Fact]
    public async Task Written_tar_round_trips_under_the_planned_name()
    {
        string source = Directory.CreateDirectory(Path.Combine(_work, "src", "sub")).Parent!.FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "sub", "f"), "data");
        File.CreateSymbolicLink(Path.Combine(source, "l"), "sub/f");
        var tar = new MemoryStream();
        await HostArchiveWriter.WriteAsync(source, "renamed", tar, CancellationToken.None);
        tar.Position = 0;
        string destination = Directory.CreateDirectory(Path.Combine(_work, "out")).FullName;
        await new HostArchiveExtractor(destination, "renamed", "renamed").ExtractAsync(tar, CancellationToken.None);
        Assert.Equal("data", await File.ReadAllTextAsync(Path.Combine(destination, "renamed", "sub", "f")));
        Assert.Equal("sub/f", new FileInfo(Path.Combine(destination, "renamed", "l")).LinkTarget);
    }

    private static MemoryStream Tar(Action<TarWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true)) write(writer);
        stream.Position = 0;
        return stream;
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
