using Berth.Engine.Runtime;

namespace Berth.Tests.Engine;

public class CgroupMigrationWarmerTests
{
    private const string HybridMountinfo = """
        25 30 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
        27 25 0:25 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
        31 25 0:29 /outer /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,cpu,cpuacct
        """;

    [Fact]
    public void The_own_cgroup_is_found_in_the_v2_hierarchy_first()
    {
        const string cgroup = "4:cpu,cpuacct:/outer/berth\n1:name=systemd:/system.slice/berthd.service\n0::/system.slice/berthd.service\n";

        Assert.Equal("/sys/fs/cgroup/unified/system.slice/berthd.service/cgroup.procs", OwnCgroup.ProcsFile(cgroup, HybridMountinfo));
        Assert.Equal("/sys/fs/cgroup/unified/cgroup.procs", OwnCgroup.ProcsFile("0::/\n", HybridMountinfo));
    }

    [Fact]
    public void Without_v2_the_first_mounted_v1_hierarchy_serves_and_a_cgroup_outside_its_mount_does_not()
    {
        string v1Only = HybridMountinfo.Replace("cgroup2 cgroup2", "tmpfs tmpfs");

        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct/berth/cgroup.procs",
            OwnCgroup.ProcsFile("12:rdma:/\n4:cpu,cpuacct:/outer/berth\n0::/x\n", v1Only));
        Assert.Equal("/sys/fs/cgroup/systemd/a/cgroup.procs",
            OwnCgroup.ProcsFile("4:cpu,cpuacct:/elsewhere\n1:name=systemd:/a\n", v1Only));
        Assert.Null(OwnCgroup.ProcsFile("4:cpu,cpuacct:/elsewhere\n", v1Only));
    }

    [Fact]
    public void A_hold_keeps_writing_this_process_into_its_own_cgroup_until_let_go_and_moves_nothing()
    {
        string before = File.ReadAllText("/proc/self/cgroup");
        var warmer = new CgroupMigrationWarmer(OwnCgroup.ProcsFile());
        Assert.NotNull(warmer.ProcsFile);
        // Root can write it (as on these machines); elsewhere the file does not open and a hold does nothing.
        bool root = Environment.UserName == "root";

        using (var outer = warmer.Hold())
        {
            var inner = warmer.Hold();
            inner.Dispose();
            inner.Dispose(); // a second dispose lets go of nothing more: the outer hold still warms
            long atStart = warmer.Writes;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (root && warmer.Writes < atStart + 3 && DateTime.UtcNow < deadline) Thread.Sleep(5);
            Assert.True(!root || warmer.Writes >= atStart + 3, $"{warmer.Writes - atStart} writes");
        }

        Thread.Sleep(50); // a write under way may still land
        long stopped = warmer.Writes;
        Thread.Sleep(50);
        Assert.Equal(stopped, warmer.Writes);
        Assert.Equal(before, File.ReadAllText("/proc/self/cgroup"));
    }
}
