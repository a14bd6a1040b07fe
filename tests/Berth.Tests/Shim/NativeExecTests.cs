using System.Text;
using Berth.Shim.Native;
using Berth.Shim.Runtime;

namespace Berth.Tests.Shim;

public class NativeExecTests
{
    private static ExecProcessSpec Parse(string json) => ExecProcessSpec.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void JsonTreeReadsNestedValuesAndKeepsLargeNumbersExact()
    {
        var tree = (Dictionary<string, object?>)JsonTree.Parse("""{"a":[1,{"b":"x\u0041\n"}],"n":18446744073709551615,"t":true,"z":null}"""u8)!;

        var a = tree.Array("a")!;
        Assert.Equal(1, ((JsonNumber)a[0]!).ToInt64());
        Assert.Equal("xA\n", ((Dictionary<string, object?>)a[1]!).String("b"));
        Assert.Equal(ulong.MaxValue, tree.UInt64("n"));
        Assert.True(tree.Bool("t"));
        Assert.Null(tree.String("z"));
        Assert.Throws<InvalidDataException>(() => JsonTree.Parse("""{"a":1,}"""u8));
        Assert.Throws<InvalidDataException>(() => tree.String("t"));
    }

    [Fact]
    public void ParsesTheProcessTheDaemonWrites()
    {
        var spec = Parse("""
            {"terminal":false,"user":{"uid":1000,"gid":100,"additionalGids":[10,20],"umask":18},"args":["sh","-c","id"],
             "env":["PATH=/bin","A=1"],"cwd":"/tmp",
             "capabilities":{"bounding":["CAP_CHOWN","CAP_KILL","CAP_NOT_A_CAP"],"effective":["CAP_KILL"],"permitted":["CAP_KILL"],
                             "inheritable":[],"ambient":["CAP_SYS_ADMIN"]},
             "rlimits":[{"type":"RLIMIT_NOFILE","hard":1048576,"soft":1024}],"noNewPrivileges":true,"oomScoreAdj":-500}
            """);

        Assert.Equal(["sh", "-c", "id"], spec.Args);
        Assert.Equal(["PATH=/bin", "A=1"], spec.Env);
        Assert.Equal("/tmp", spec.Cwd);
        Assert.Equal((1000u, 100u), (spec.Uid, spec.Gid));
        Assert.Equal([10u, 20u], spec.AdditionalGids);
        Assert.Equal(18u, spec.Umask);
        Assert.Equal((1UL << 0) | (1UL << 5), spec.Bounding);
        Assert.Equal(1UL << 5, spec.Effective);
        Assert.Equal(0UL, spec.Inheritable);
        Assert.Equal(1UL << 21, spec.Ambient);
        Assert.Equal([(7, 1024UL, 1048576UL)], spec.Rlimits);
        Assert.True(spec.NoNewPrivileges);
        Assert.Equal(-500, spec.OomScoreAdj);
    }

    [Theory]
    [InlineData("""{"args":["true"],"capabilities":{},"apparmorProfile":"docker-default"}""")]
    [InlineData("""{"args":["true"],"capabilities":{},"selinuxLabel":"system_u:system_r:container_t:s0"}""")]
    [InlineData("""{"args":["true"]}""")]
    [InlineData("""{"args":["true"],"capabilities":{},"rlimits":[{"type":"RLIMIT_BOGUS","hard":1,"soft":1}]}""")]
    public void WhatTheNativePathCannotApplyGoesToRunc(string json) =>
        Assert.Throws<NotSupportedException>(() => Parse(json));

    [Fact]
    public void EnvironmentFollowsRunc()
    {
        Assert.Equal(["A=3", "B=2"], NativeExecLauncher.ExecEnvironment(["A=1", "B=2", "A=3"]));
        Assert.Throws<NotSupportedException>(() => NativeExecLauncher.ExecEnvironment(["NOEQUALS"]));
    }

    [Theory]
    [InlineData("/usr/bin/sh", "/usr/bin/sh")]
    [InlineData("/usr//bin/./sh", "/usr/bin/sh")]
    [InlineData("/usr/bin/../sbin/x", "/usr/sbin/x")]
    [InlineData("./x", "x")]
    [InlineData("bin/x", "bin/x")]
    [InlineData("/../x", "/x")]
    public void PathsAreCleanedLikeGos(string path, string expected) => Assert.Equal(expected, NativeExecLauncher.CleanPath(path));

    [Fact]
    public void HomeComesFromTheContainersPasswd()
    {
        const string passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
        Assert.Equal("/root", NativeExecLauncher.HomeIn(passwd, 0));
        Assert.Equal("/home", NativeExecLauncher.HomeIn(passwd, 65534));
        Assert.Equal("/", NativeExecLauncher.HomeIn(passwd, 1000));
    }

    [Fact]
    public void CgroupHierarchiesAreFoundByTheirControllers()
    {
        const string mountinfo = """
            25 30 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
            26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
            27 25 0:25 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
            31 25 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,cpu,cpuacct
            32 25 0:30 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,memory
            """;
        var table = NativeExecContainer.CgroupMounts(mountinfo);

        Assert.True(table.TryGetValue("cpu,cpuacct", out var cpu));
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", cpu.Point);
        Assert.True(table.TryGetValue("name=systemd", out var systemd));
        Assert.Equal("/sys/fs/cgroup/systemd", systemd.Point);
        Assert.True(table.TryGetValue("", out var unified));
        Assert.Equal("/sys/fs/cgroup/unified", unified.Point);
        Assert.False(table.TryGetValue("rdma", out _));
    }

    [Fact]
    public void DockersDefaultProfileCompilesToOneBpfProgram()
    {
        if (!File.Exists("/usr/lib/x86_64-linux-gnu/libseccomp.so.2") && !File.Exists("/lib/x86_64-linux-gnu/libseccomp.so.2")) return;
        var profile = (Dictionary<string, object?>)JsonTree.Parse("""
            {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],
             "syscalls":[{"names":["read","write","no_such_syscall"],"action":"SCMP_ACT_ALLOW"},
                         {"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":0,"op":"SCMP_CMP_EQ"}]},
                         {"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2114060288,"op":"SCMP_CMP_MASKED_EQ"}]},
                         {"names":["clone3"],"action":"SCMP_ACT_ERRNO","errnoRet":38},
                         {"names":["kill"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}
            """u8)!;

        byte[] program = SeccompCompiler.Compile(profile);

        Assert.True(program.Length > 0 && program.Length % 8 == 0);
        profile["syscalls"] = new List<object?> { new Dictionary<string, object?> { ["names"] = new List<object?> { "read" }, ["action"] = "SCMP_ACT_NOTIFY" } };
        Assert.Throws<NotSupportedException>(() => SeccompCompiler.Compile(profile));
    }
}
