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
        // Any other name is a logging plugin's, which takes any option; whether there is one is the create's to ask.
        LogSettings.Validate(Config("syslog2", ("anything", "goes")));
        var plugin = LogSettings.PluginNotFound("syslog2");
        Assert.Equal((ErrorKind.Invalid, "error looking up logging plugin syslog2: plugin \"syslog2\" not found"), (plugin.Kind, plugin.Message));
        Assert.Throws<BerthException>(() => LogSettings.Validate(Config("syslog2", ("cache-disabled", "maybe"))));
        Assert.Equal(ErrorKind.NotImplemented, Assert.Throws<BerthException>(() => LogSettings.Validate(Config("splunk"))).Kind);
        LogSettings.Validate(Config("local", ("max-size", "1m"), ("max-file", "2"), ("compress", "false")));
        var localOption = Assert.Throws<BerthException>(() => LogSettings.Validate(Config("local", ("tag", "x"))));
        Assert.Equal((ErrorKind.Invalid, "unknown log opt 'tag' for log driver local"), (localOption.Kind, localOption.Message));
    }

    [Fact]
    public void Every_driver_takes_the_delivery_mode_options_checked_as_dockerd_checks_them()
    {
        LogSettings.Validate(Config("json-file", ("mode", "non-blocking"), ("max-buffer-size", "4m")));
        LogSettings.Validate(Config("local", ("mode", "blocking")));
        Assert.True(LogSettings.Resolve(Config("json-file", ("mode", "non-blocking"))).NonBlocking);
        Assert.False(LogSettings.Resolve(Config("json-file", ("mode", "blocking"))).NonBlocking);
        Assert.Equal("logger: logging mode not supported: foo",
            Assert.Throws<BerthException>(() => LogSettings.Validate(Config("json-file", ("mode", "foo")))).Message);
        Assert.Equal("logger: max-buffer-size option is only supported with 'mode=non-blocking'",
            Assert.Throws<BerthException>(() => LogSettings.Validate(Config("json-file", ("max-buffer-size", "1m")))).Message);
        Assert.Equal("error parsing option max-buffer-size: invalid size: 'x'",
            Assert.Throws<BerthException>(() => LogSettings.Validate(Config("local", ("mode", "non-blocking"), ("max-buffer-size", "x")))).Message);
    }

    [Fact]
    public void Json_file_compresses_only_with_rotation_into_several_files()
    {
        Assert.Equal(new LogSettings("json-file", 1000, 2, Compress: true),
            LogSettings.Resolve(Config("json-file", ("max-size", "1k"), ("max-file", "2"), ("compress", "true"))));
        Assert.False(LogSettings.Resolve(Config("json-file", ("max-size", "1k"), ("max-file", "2"), ("compress", "0"))).Compress);
        Assert.Equal("failed to initialize logging driver: compress cannot be true when max-file is less than 2 or max-size is not set",
            Assert.Throws<BerthException>(() => LogSettings.Resolve(Config("json-file", ("max-file", "3"), ("compress", "true")))).Message);
        Assert.Equal("failed to initialize logging driver: strconv.ParseBool: parsing \"maybe\": invalid syntax",
            Assert.Throws<BerthException>(() => LogSettings.Resolve(Config("json-file", ("compress", "maybe")))).Message);
    }

    [Fact]
    public void Local_has_dockerds_defaults_and_messages()
    {
        Assert.Equal(new LogSettings("local", 20 * 1024 * 1024, 5, Compress: true), LogSettings.Resolve(Config("local")));
        Assert.Equal(new LogSettings("local", 0, 1), LogSettings.Resolve(Config("local", ("max-size", "0")))); // no limit
        Assert.Equal(new LogSettings("local", 20 * 1024 * 1024, 1), LogSettings.Resolve(Config("local", ("max-file", "0"), ("compress", "false"))));
        (string Key, string Value)[][] bad =
        [
            [("max-size", "1x")], [("max-file", "-1")], [("max-file", "x")], [("max-file", "1")], [("compress", "maybe")],
        ];
        string[] messages =
        [
            "invalid value for max-size: 1x: invalid size: '1x'", "max file count cannot be less than 0",
            "invalid value for max-file: x: strconv.Atoi: parsing \"x\": invalid syntax", "compression cannot be enabled when max file count is 1",
            "error reading compress log option: strconv.ParseBool: parsing \"maybe\": invalid syntax",
        ];
        for (int i = 0; i < bad.Length; i++)
        {
            var error = Assert.Throws<BerthException>(() => LogSettings.Resolve(Config("local", bad[i])));
            Assert.Equal((ErrorKind.Internal, "failed to initialize logging driver: " + messages[i]), (error.Kind, error.Message));
        }
    }

    [Fact]
    public void Start_resolves_sizes_as_go_units_does_and_fails_on_bad_values()
    {
        Assert.Equal(new LogSettings("json-file", 10_000_000, 3), LogSettings.Resolve(Config("json-file", ("max-size", "10m"), ("max-file", "3"))));
        Assert.Equal(new LogSettings("json-file", 1536, 1), LogSettings.Resolve(Config("json-file", ("max-size", "1.536kb"))));
        Assert.Equal(new LogSettings("json-file", 0, 1), LogSettings.Resolve(Config("json-file", ("max-file", "3")))); // no size: no rotation
        Assert.Equal(new LogSettings("none", 0, 1), LogSettings.Resolve(Config("none")));
        Assert.Equal(new LogSettings("json-file", 0, 1), LogSettings.Resolve(null));
        var size = Assert.Throws<BerthException>(() => LogSettings.Resolve(Config("json-file", ("max-size", "abc"))));
        Assert.Equal((ErrorKind.Internal, "failed to initialize logging driver: invalid size: 'abc'"), (size.Kind, size.Message));
        var files = Assert.Throws<BerthException>(() => LogSettings.Resolve(Config("json-file", ("max-size", "1k"), ("max-file", "0"))));
        Assert.Equal("failed to initialize logging driver: max-file cannot be less than 1", files.Message);
    }

    [Fact]
    public void A_container_on_the_daemons_driver_takes_the_daemons_options_it_does_not_set()
    {
        var daemon = Config("local", ("max-size", "10m"), ("max-file", "3"));
        var merged = Berth.Engine.Containers.ContainerService.MergeDefaultLogConfig(Config("", ("max-file", "2")), daemon);
        Assert.Equal(("local", "10m", "2"), (merged.Type, merged.Config!["max-size"], merged.Config["max-file"]));
        var other = Berth.Engine.Containers.ContainerService.MergeDefaultLogConfig(Config("json-file"), daemon);
        Assert.Equal(("json-file", 0), (other.Type, other.Config!.Count));
        Assert.Equal("local", Berth.Engine.Containers.ContainerService.MergeDefaultLogConfig(null, daemon).Type);
    }
}
