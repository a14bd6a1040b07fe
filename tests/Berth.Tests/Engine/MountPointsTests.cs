using Berth.Engine.Runtime.Mounts;

namespace Berth.Tests.Engine;

public sealed class MountPointsTests
{
    [Fact]
    public void The_root_and_proc_are_mount_points() =>
        Assert.True(MountPoints.IsMountPoint("/") && MountPoints.IsMountPoint("/proc") && MountPoints.IsMountPoint("/proc/"));

    [Fact]
    public void A_plain_directory_is_not()
    {
        var directory = Directory.CreateTempSubdirectory("berth-mountpoints-");
        try
        {
            Assert.False(MountPoints.IsMountPoint(directory.FullName));
            Assert.False(MountPoints.IsMountPoint(Path.Combine(directory.FullName, "absent")));
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public void A_symlink_to_a_mount_point_is_not_one_itself()
    {
        var directory = Directory.CreateTempSubdirectory("berth-mountpoints-");
        try
        {
            string link = Path.Combine(directory.FullName, "proc");
            File.CreateSymbolicLink(link, "/proc");
            Assert.False(MountPoints.IsMountPoint(link));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
