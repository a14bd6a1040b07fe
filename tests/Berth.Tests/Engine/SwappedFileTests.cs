using System.Text;
using Berth.Engine.Metadata;
using Berth.Oci.Content;
using Berth.Oci.Native;

namespace Berth.Tests.Engine;

public sealed class SwappedFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-swapped-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Record => Path.Combine(_dir, "container.json");

    [Fact]
    public void Each_write_leaves_the_new_content_and_the_previous_one_in_the_spare()
    {
        SwappedFile.WriteAllBytes(Record, "first, longer content"u8);
        Assert.Equal("first, longer content", File.ReadAllText(Record));
        Assert.False(File.Exists(SwappedFile.SpareOf(Record)));

        SwappedFile.WriteAllBytes(Record, "second"u8);
        Assert.Equal("second", File.ReadAllText(Record));
        Assert.Equal("first, longer content", File.ReadAllText(SwappedFile.SpareOf(Record)));

        SwappedFile.WriteAllBytes(Record, "third"u8);
        Assert.Equal("third", File.ReadAllText(Record));
        Assert.Equal("second", File.ReadAllText(SwappedFile.SpareOf(Record)));
        Assert.Equal(2, Directory.GetFiles(_dir).Length);
    }

    [Fact]
    public void Rewrites_keep_the_same_two_files()
    {
        SwappedFile.WriteAllBytes(Record, "a"u8);
        SwappedFile.WriteAllBytes(Record, "b"u8);
        ulong[] inodes = [Inode(Record), Inode(SwappedFile.SpareOf(Record))];
        for (int i = 0; i < 5; i++) SwappedFile.WriteAllBytes(Record, Encoding.UTF8.GetBytes($"write {i}"));
        Assert.Equal("write 4", File.ReadAllText(Record));
        Assert.Equal(inodes.Order(), new[] { Inode(Record), Inode(SwappedFile.SpareOf(Record)) }.Order());
    }

    [Fact]
    public void The_spare_is_a_leftover_that_startup_recovery_removes()
    {
        SwappedFile.WriteAllBytes(Record, "a"u8);
        SwappedFile.WriteAllBytes(Record, "b"u8);
        AtomicFile.RemoveLeftovers(_dir);
        Assert.Equal(["container.json"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Equal("b", File.ReadAllText(Record));
    }

    private static ulong Inode(string path) => PosixFiles.Lstat(path).Inode;
}
