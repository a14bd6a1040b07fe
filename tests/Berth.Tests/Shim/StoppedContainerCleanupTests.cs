using Berth.Shim.Runtime;

namespace Berth.Tests.Shim;

public sealed class StoppedContainerCleanupTests : IDisposable
{
    private const string Id = "c1";
    private readonly string _root = Directory.CreateTempSubdirectory("berth-cleanup").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string StateDir => Path.Combine(_root, "runc", Id);

    /// <summary>A runc state.json whose cgroups are plain directories under the test's root.</summary>
    private (string V1, string V2) WriteState(string namespaces, string hooks = "null", string rdt = "")
    {
        string v1 = Path.Combine(_root, "cg", "memory", Id), v2 = Path.Combine(_root, "cg", "unified", Id);
        Directory.CreateDirectory(v1);
        Directory.CreateDirectory(v2);
        Directory.CreateDirectory(StateDir);
        File.WriteAllText(Path.Combine(StateDir, "state.json"),
            $$"""
              {"id":"{{Id}}","init_process_pid":4242,"config":{"namespaces":{{namespaces}},"Hooks":{{hooks}}},
               "cgroup_paths":{"":"{{v2}}","memory":"{{v1}}","cpu":"{{Path.Combine(_root, "cg", "gone", Id)}}"},
               "intel_rdt_path":"{{rdt}}"}
              """);
        return (v1, v2);
    }

    private const string OwnPid = """[{"type":"NEWNS","path":""},{"type":"NEWPID","path":""}]""";

    [Fact]
    public void Removes_the_cgroups_and_the_state_of_a_container_with_its_own_pid_namespace()
    {
        var (v1, v2) = WriteState(OwnPid);
        Assert.Null(StoppedContainerCleanup.TryRemove(Path.Combine(_root, "runc"), Id));
        Assert.False(Directory.Exists(v1));
        Assert.False(Directory.Exists(v2));
        Assert.False(Directory.Exists(StateDir));
    }

    [Theory]
    [InlineData("""[{"type":"NEWNS","path":""}]""", "null", "")]
    [InlineData("""[{"type":"NEWPID","path":"/proc/1/ns/pid"}]""", "null", "")]
    [InlineData(OwnPid, """{"poststop":[{"path":"/bin/true"}]}""", "")]
    [InlineData(OwnPid, "null", "/sys/fs/resctrl/c1")]
    public void Leaves_to_runc_what_runc_does_more_for(string namespaces, string hooks, string rdt)
    {
        var (v1, v2) = WriteState(namespaces, hooks, rdt);
        Assert.NotNull(StoppedContainerCleanup.TryRemove(Path.Combine(_root, "runc"), Id));
        Assert.True(Directory.Exists(v1));
        Assert.True(Directory.Exists(v2));
        Assert.True(File.Exists(Path.Combine(StateDir, "state.json")));
    }

    [Fact]
    public void Empty_hook_lists_are_no_hooks()
    {
        WriteState(OwnPid, """{"prestart":null,"poststop":[]}""");
        Assert.Null(StoppedContainerCleanup.TryRemove(Path.Combine(_root, "runc"), Id));
    }

    [Fact]
    public void A_cgroup_that_will_not_go_keeps_the_state_for_runc()
    {
        var (v1, _) = WriteState(OwnPid);
        File.WriteAllText(Path.Combine(v1, "cgroup.procs"), "4243\n"); // rmdir fails, as it does for a group still in use
        Assert.NotNull(StoppedContainerCleanup.TryRemove(Path.Combine(_root, "runc"), Id));
        Assert.True(File.Exists(Path.Combine(StateDir, "state.json")));
    }

    [Fact]
    public void No_state_is_left_to_runc()
    {
        Assert.NotNull(StoppedContainerCleanup.TryRemove(Path.Combine(_root, "runc"), Id));
    }
}

public sealed class JsonMembersTests
{
    private static string? Member(string json, string name) =>
        JsonMembers.TryGet(System.Text.Encoding.UTF8.GetBytes(json), System.Text.Encoding.UTF8.GetBytes(name), out var value)
            ? System.Text.Encoding.UTF8.GetString(value)
            : null;

    [Fact]
    public void Finds_top_level_members_past_nested_values_and_strings_that_look_like_keys()
    {
        const string json = """
            { "a" : {"x":[1,{"y":"}]"}],"b":2}, "label":"\"b\":3,", "n":-1.5e3,"t":true ,"b" : {"k":"v\\"} }
            """;
        Assert.Equal("""{"k":"v\\"}""", Member(json, "b"));
        Assert.Equal("-1.5e3", Member(json, "n"));
        Assert.Equal("true", Member(json, "t"));
        Assert.Equal("""{"x":[1,{"y":"}]"}],"b":2}""", Member(json, "a"));
        Assert.Null(Member(json, "x"));
        Assert.Null(Member("{}", "a"));
    }

    [Fact]
    public void Rejects_what_is_not_an_object() => Assert.Throws<InvalidDataException>(() => Member("[1]", "a"));
}
