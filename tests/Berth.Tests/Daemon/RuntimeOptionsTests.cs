using System.Text.Json;
using Berth.Daemon.Hosting;
using Berth.Engine.Runtime;
using Berth.Engine.Runtime.Shim;
using Berth.Oci.Errors;
using Berth.Shim;

namespace Berth.Tests.Daemon;

/// <summary>daemon.json "runtimes"/"default-runtime", --add-runtime/--default-runtime, and what reaches the shim.</summary>
public sealed class RuntimeOptionsTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    private DaemonOptions ParseWith(string json, params string[] flags)
    {
        File.WriteAllText(_file, json);
        return DaemonOptions.Parse(["--config-file", _file, .. flags]);
    }

    private string ErrorOf(string json, params string[] flags) =>
        Assert.Throws<BerthException>(() => ParseWith(json, flags)).Message;

    [Fact]
    public void Runtimes_come_from_the_file_with_their_args_and_from_flags()
    {
        var options = ParseWith("""{"runtimes": {"wrap": {"path": "/x/wrap", "runtimeArgs": ["--a", "b"]}}, "default-runtime": "wrap"}""",
            "--add-runtime", "Other = /x/other");
        Assert.Equal("/x/wrap", options.Runtimes["wrap"].Path);
        Assert.Equal(["--a", "b"], options.Runtimes["wrap"].Args);
        Assert.Equal("/x/other", options.Runtimes["other"].Path); // trimmed and lower-cased, as dockerd's flag does
        Assert.Empty(options.Runtimes["other"].Args);
        Assert.Equal("wrap", options.DefaultRuntime);
        Assert.Empty(options.IgnoredKeys);
    }

    [Fact]
    public void The_file_wins_over_a_flag_for_the_same_name_and_the_default_may_come_from_a_flag()
    {
        var options = ParseWith("""{"runtimes": {"wrap": {"path": "/from/file"}}}""",
            "--add-runtime", "wrap=/from/flag", "--default-runtime", "wrap");
        Assert.Equal("/from/file", options.Runtimes["wrap"].Path);
        Assert.Equal("wrap", options.DefaultRuntime);
        Assert.Equal("runc", ParseWith("{}", "--default-runtime", "runc").DefaultRuntime);
    }

    [Fact]
    public void Dockers_rules_and_messages()
    {
        Assert.Equal($"unable to configure the daemon with file {_file}: configuration validation from file failed: runtime name 'runc' is reserved",
            ErrorOf("""{"runtimes": {"runc": {"path": "/bin/true"}}}"""));
        Assert.Equal("invalid argument \"runc=/bin/true\" for \"--add-runtime\" flag: runtime name 'runc' is reserved",
            ErrorOf("{}", "--add-runtime", "runc=/bin/true"));
        Assert.Equal("invalid argument \"wrap=/bin/false\" for \"--add-runtime\" flag: runtime 'wrap' was already defined",
            ErrorOf("{}", "--add-runtime", "wrap=/bin/true", "--add-runtime", "wrap=/bin/false"));
        Assert.Equal("invalid argument \"wrap\" for \"--add-runtime\" flag: invalid runtime argument: wrap",
            ErrorOf("{}", "--add-runtime", "wrap"));
        Assert.Equal($"unable to configure the daemon with file {_file}: configuration validation from file failed: specified default runtime 'nope' does not exist",
            ErrorOf("""{"default-runtime": "nope"}"""));
        Assert.Equal("specified default runtime 'nope' does not exist", ErrorOf("{}", "--default-runtime", "nope"));
        Assert.Equal($"unable to configure the daemon with file {_file}: the following directives are specified both as a flag and in the configuration file: default-runtime: (from flag: wrap, from file: wrap)",
            ErrorOf("""{"default-runtime": "wrap"}""", "--default-runtime", "wrap", "--add-runtime", "wrap=/bin/true"));
        // The file is checked on its own: its default must be defined in it.
        Assert.Contains("specified default runtime 'wrap' does not exist", ErrorOf("""{"default-runtime": "wrap"}""", "--add-runtime", "wrap=/bin/true"));
        Assert.Contains("runtime \"bad\"", ErrorOf("""{"runtimes": {"bad": {"runtimeArgs": ["--a"]}}}"""));
    }

    [Fact]
    public void The_catalog_resolves_names_and_keeps_runc_built_in()
    {
        var runtimes = new OciRuntimes("/usr/sbin/runc", [new OciRuntime("wrap", "/x/wrap", ["--a"])], "wrap");
        Assert.Equal("wrap", runtimes.DefaultName);
        Assert.Equal("/x/wrap", runtimes.Resolve("").Path);
        Assert.False(runtimes.Resolve(null).IsRunc);
        Assert.True(runtimes.Resolve("runc").IsRunc);
        Assert.True(runtimes.Resolve(OciRuntimes.RuncShimName).IsRunc);
        Assert.Equal(["io.containerd.runc.v2", "runc", "wrap"], runtimes.All.Select(r => r.Name));
        var unknown = Assert.Throws<BerthException>(() => runtimes.Resolve("nope"));
        Assert.Equal((ErrorKind.Invalid, "Unknown runtime specified nope"), (unknown.Kind, unknown.Message));
        Assert.Equal("runc", new OciRuntimes("/usr/sbin/runc", []).DefaultName);
    }

    [Fact]
    public void The_shim_gets_the_runtimes_args_and_whether_it_is_runc()
    {
        var spec = new ShimLaunchSpec("id", "/b", "/s", "/x/wrap", "/run/r", "/l", false, false, false, 0, 0, "/c",
            RuntimeArgs: ["--a", "b"], RuntimeIsRunc: false);
        var json = JsonSerializer.SerializeToUtf8Bytes(ShimConfigDocument.From(spec), ShimJsonContext.Default.ShimConfigDocument);
        var config = ShimConfig.Parse(json, "shim.json");
        Assert.Equal(("/x/wrap", false), (config.Runtime, config.RuntimeIsRunc));
        Assert.Equal(["--a", "b"], config.RuntimeArgs);
        // A shim.json of an older daemon names runc and nothing else.
        var old = ShimConfig.Parse("""{"id":"i","bundle":"/b","runtime":"/usr/sbin/runc","runtimeRoot":"/r"}"""u8, "shim.json");
        Assert.True(old.RuntimeIsRunc);
        Assert.Empty(old.RuntimeArgs);
    }
}
