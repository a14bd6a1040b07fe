using Berth.Shim;
using Berth.Shim.Log;
using Berth.Shim.Runtime;

namespace Berth.Tests.Shim;

public class ShimMiscTests
{
    [Fact]
    public void FormatsRfc3339WithNineFractionDigits()
    {
        Assert.Equal("2026-11-28T02:08:44.381986859Z", Rfc3339.Format(1_795_831_724_381_986_859));
        Assert.Equal("1970-01-01T00:00:00.000000001Z", Rfc3339.Format(1));
    }

    [Fact]
    public void ExitRecordJson()
    {
        Assert.Equal("{\"exitCode\":137,\"finishedAt\":\"1970-01-01T00:00:01.000000000Z\",\"oomKilled\":true}\n",
            new ExitRecord(137, 1_000_000_000, true).ToJson());
    }

    [Theory]
    [InlineData("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n", 2L)]
    [InlineData("low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\noom_group_kill 0\n", 1L)]
    [InlineData("oom_kill_disable 0\nunder_oom 0\n", null)]
    public void ParsesOomKillCounters(string text, long? expected) => Assert.Equal(expected, OomDetector.ParseOomKills(text));

    [Theory]
    [InlineData("/berth/abc", "berth/abc")]
    [InlineData("system.slice:berth:abc", "system.slice/berth-abc.scope")]
    [InlineData("", "")]
    public void MapsCgroupsPaths(string cgroupsPath, string expected) => Assert.Equal(expected, OomDetector.CgroupDirectory(cgroupsPath));

    [Fact]
    public void DetectsOomFromV1AndV2Files()
    {
        string root = Directory.CreateTempSubdirectory("berth-oom").FullName;
        try
        {
            Directory.CreateDirectory(Path.Join(root, "memory/berth/v1"));
            File.WriteAllText(Path.Join(root, "memory/berth/v1/memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
            Directory.CreateDirectory(Path.Join(root, "berth/v2"));
            File.WriteAllText(Path.Join(root, "berth/v2/memory.events"), "oom 0\noom_kill 0\n");

            Assert.True(OomDetector.WasOomKilled("/berth/v1", root));
            Assert.False(OomDetector.WasOomKilled("/berth/v2", root));
            Assert.False(OomDetector.WasOomKilled("/berth/none", root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
