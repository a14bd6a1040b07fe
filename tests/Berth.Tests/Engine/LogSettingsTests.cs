using Berth.Api;
using Berth.Engine.Logs;
using Berth.Oci.Errors;

namespace Berth.Tests.Engine;

public sealed class LogSettingsTests
{
    private static LogConfig Config(string type, params (string Key, string Value)[] options) =>
        new() { Type = type, Config = options.ToDictionary(o => o.Key, o => o.Value) };

    [Fact]
    public void Create_accepts_json_file_options_and_none_and_refuses_the_rest_as_docker_does()
    {
        LogSettings.Validate(Config("json-file", ("max-size", "10m"), ("max-file", "3"), ("tag", "x")));
        LogSettings.Validate(Config("none", ("anything", "goes")));
        var unknownOption = Assert.Throws<BerthException>(() => LogSettings.Validate(Config("json-file", ("foo", "1"))));
        Assert.Equal((ErrorKind.Invalid, "unknown log opt 'foo' for json-file log driver"), (unknownOption.Kind, unknownOption.Message));
        var plugin = Assert.Throws<BerthException>(() => LogSettings.Validate(Config("syslog2")));
        Assert.Equal((ErrorKind.Invalid, "error looking up logging plugin syslog2: plugin \"syslog2\" not found"), (plugin.Kind, plugin.Message));
        Assert.Equal(ErrorKind.NotImplemented, Assert.Throws<BerthException>(() => LogSettings.Validate(Config("journald"))).Kind);
    }

    [Fact]
    public void Start_resolves_sizes_as_go_units_does_and_fails_on_bad_values()
    {
        Assert.Equal(new LogSettings(true, 10_000_000, 3), LogSettings.Resolve(Config("json-file", ("max-size", "10m"), ("max-file", "3"))));
        Assert.Equal(new LogSettings(true, 1536, 1), LogSettings.Resolve(Config("json-file", ("max-size", "1.536kb"))));
        Assert.Equal(new LogSettings(true, 0, 1), LogSettings.Resolve(Config("json-file", ("max-file", "3")))); // no size: no rotation
        Assert.Equal(new LogSettings(false, 0, 1), LogSettings.Resolve(Config("none")));
        Assert.Equal(new LogSettings(true, 0, 1), LogSettings.Resolve(null));
        var size = Assert.Throws<BerthException>(() => LogSettings.Resolve(Config("json-file", ("max-size", "abc"))));
        Assert.Equal((ErrorKind.Internal, "failed to initialize logging driver: invalid size: 'abc'"), (size.Kind, size.Message));
        var files = Assert.Throws<BerthException>(() => LogSettings.Resolve(Config("json-file", ("max-size", "1k"), ("max-file", "0"))));
        Assert.Equal("failed to initialize logging driver: max-file cannot be less than 1", files.Message);
    }
}
