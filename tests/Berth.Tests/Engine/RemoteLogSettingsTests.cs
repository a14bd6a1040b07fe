using System.Net;
using System.Net.Sockets;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Logs;
using Berth.Oci.Errors;

namespace Berth.Tests.Engine;

/// <summary>syslog, gelf, fluentd and journald: dockerd 20.10's checks and messages, the dual-logging cache, the tag.</summary>
public sealed class RemoteLogSettingsTests
{
    private static LogConfig Config(string type, params (string Key, string Value)[] options) =>
        new() { Type = type, Config = options.ToDictionary(o => o.Key, o => o.Value) };

    private static string CreateError(string type, params (string Key, string Value)[] options)
    {
        var error = Assert.Throws<BerthException>(() => LogSettings.Validate(Config(type, options)));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        return error.Message;
    }

    private static ContainerRecord Container() => new()
    {
        Id = "0123456789ab" + new string('c', 52), Name = "/web", Created = new DateTimeOffset(2026, 11, 29, 19, 3, 12, TimeSpan.Zero).AddTicks(1234567),
        ImageId = "sha256:eddca4bb310e4f55f32aba7e79cc6b5805ba3789f238ebc5431dd35205ba6812", Path = "sh", Args = ["-c", "echo hi"],
        Config = new ContainerConfig { Image = "busybox", Labels = new() { ["a"] = "b", ["z"] = "y" }, Env = ["E1=v1", "PATH=/bin"] },
        HostConfig = new HostConfig(),
    };

    [Fact]
    public void Create_checks_each_drivers_options_with_dockerds_messages()
    {
        LogSettings.Validate(Config("syslog", ("syslog-address", "udp://127.0.0.1:514"), ("syslog-facility", "local0"), ("syslog-format", "rfc5424micro"), ("tag", "x")));
        LogSettings.Validate(Config("syslog", ("syslog-facility", "23"), ("syslog-address", "tcp://127.0.0.1")));
        LogSettings.Validate(Config("gelf", ("gelf-address", "udp://127.0.0.1:12201"), ("gelf-compression-type", "zlib"), ("gelf-compression-level", "9"), ("labels", "a")));
        LogSettings.Validate(Config("fluentd", ("fluentd-address", "127.0.0.1:24224"), ("fluentd-async", "true"), ("env", "E1")));
        LogSettings.Validate(Config("fluentd"));
        LogSettings.Validate(Config("journald", ("tag", "x"), ("labels", "a")));

        Assert.Equal("unknown log opt 'x' for syslog log driver", CreateError("syslog", ("x", "1")));
        Assert.Equal("unknown log opt 'x' for fluentd log driver", CreateError("fluentd", ("x", "1")));
        Assert.Equal("unknown log opt 'x' for journald log driver", CreateError("journald", ("x", "1")));
        Assert.Equal("gelf-address is a required parameter", CreateError("gelf", ("x", "1")));
        Assert.Equal("unknown log opt \"x\" for gelf log driver", CreateError("gelf", ("gelf-address", "udp://127.0.0.1:1"), ("x", "1")));
        Assert.Equal("syslog-address should be in form proto://address, got localhost", CreateError("syslog", ("syslog-address", "localhost")));
        Assert.Equal("syslog-address should be in form proto://address, got foo://x", CreateError("syslog", ("syslog-address", "foo://x")));
        Assert.Equal("stat /nonexistent/sock: no such file or directory", CreateError("syslog", ("syslog-address", "unix:///nonexistent/sock")));
        Assert.Equal("invalid syslog facility", CreateError("syslog", ("syslog-facility", "bogus")));
        Assert.Equal("invalid syslog facility", CreateError("syslog", ("syslog-facility", "99")));
        Assert.Equal("Invalid syslog format", CreateError("syslog", ("syslog-format", "bogus")));
        Assert.Equal("unknown value \"x\" for log opt \"gelf-compression-type\" for gelf log driver",
            CreateError("gelf", ("gelf-address", "udp://127.0.0.1:1"), ("gelf-compression-type", "x")));
        Assert.Equal("unknown value \"x\" for log opt \"gelf-compression-level\" for gelf log driver",
            CreateError("gelf", ("gelf-address", "udp://127.0.0.1:1"), ("gelf-compression-level", "x")));
        Assert.Equal("gelf-address should be in form proto://address, got 127.0.0.1:1", CreateError("gelf", ("gelf-address", "127.0.0.1:1")));
        Assert.Equal("gelf: please provide gelf-address as proto://host:port", CreateError("gelf", ("gelf-address", "udp://127.0.0.1")));
        Assert.Equal("compression is only supported on UDP", CreateError("gelf", ("gelf-address", "tcp://127.0.0.1:1"), ("gelf-compression-type", "gzip")));
        Assert.Equal("\"gelf-tcp-max-reconnect\" is only valid for TCP", CreateError("gelf", ("gelf-address", "udp://127.0.0.1:1"), ("gelf-tcp-max-reconnect", "1")));
        Assert.Equal("invalid fluentd-address tcp://x:abc: parse \"tcp://x:abc\": invalid port \":abc\" after host",
            CreateError("fluentd", ("fluentd-address", "tcp://x:abc")));
        Assert.Equal("strconv.ParseBool: parsing \"x\": invalid syntax", CreateError("fluentd", ("fluentd-async", "x")));
        Assert.Equal("invalid size: 'x'", CreateError("fluentd", ("fluentd-buffer-limit", "x")));
    }

    [Fact]
    public void The_cache_options_go_with_any_driver_and_only_cache_disabled_is_checked_at_create()
    {
        LogSettings.Validate(Config("json-file", ("cache-disabled", "true")));
        LogSettings.Validate(Config("syslog", ("cache-max-size", "x"), ("cache-max-file", "x"), ("cache-compress", "x")));
        Assert.Equal("invalid value for option cache-disabled: x", CreateError("syslog", ("cache-disabled", "x")));
        Assert.Equal("invalid value for option cache-disabled: x", CreateError("local", ("cache-disabled", "x")));

        // The cache: the local driver's defaults, malformed values fall back to them (dockerd starts with them too).
        Assert.Equal(new LogSettings("syslog", 20_000_000, 5, Compress: true), LogSettings.Resolve(Config("syslog", ("cache-max-size", "x"))));
        Assert.Equal(new LogSettings("gelf", 1000, 2, Compress: false),
            LogSettings.Resolve(Config("gelf", ("gelf-address", "udp://127.0.0.1:1"), ("cache-max-size", "1k"), ("cache-max-file", "2"), ("cache-compress", "false"))));
        var disabled = LogSettings.Resolve(Config("fluentd", ("cache-disabled", "true")));
        Assert.False(disabled.Enabled);
        Assert.True(LogSettings.Resolve(Config("fluentd")).Enabled);

        LogSettings.RequireReadable(Config("syslog"));
        LogSettings.RequireReadable(Config("json-file", ("cache-disabled", "true")));
        var unreadable = Assert.Throws<BerthException>(() => LogSettings.RequireReadable(Config("syslog", ("cache-disabled", "true"))));
        Assert.Equal((ErrorKind.NotImplemented, "configured logging driver does not support reading"), (unreadable.Kind, unreadable.Message));
    }

    [Fact]
    public void Info_lists_the_drivers_sorted_as_dockerd_does() =>
        Assert.Equal(["fluentd", "gelf", "journald", "json-file", "local", "syslog"], LogSettings.Drivers);

    [Fact]
    public void The_tag_is_a_go_template_over_dockers_logger_info()
    {
        var container = Container();
        Assert.Equal("0123456789ab", LogTag.Render(null, container));
        Assert.Equal("web/busybox/sha256:eddca/docker/" + container.Id, LogTag.Render("{{.Name}}/{{.ImageName}}/{{.ImageID}}/{{.DaemonName}}/{{.FullID}}", container));
        Assert.Equal("failed to initialize logging driver: template: log-tag:1: unclosed action",
            Assert.Throws<BerthException>(() => LogTag.Render("{{.ID", container)).Message);
        Assert.Contains("can't evaluate field Bogus in type *logger.Info",
            Assert.Throws<BerthException>(() => LogTag.Render("{{.Bogus}}", container)).Message);
    }

    [Fact]
    public void A_start_resolves_the_server_renders_the_fields_and_fails_as_dockerd_when_nobody_listens()
    {
        var container = Container();
        var gelf = LogSettings.Resolve(Config("gelf", ("gelf-address", "udp://localhost:12201"), ("labels", "a"), ("env", "E1")), container).Forward!;
        Assert.Equal(("gelf", "udp", "127.0.0.1", 12201, "gzip"), (gelf.Driver, gelf.Network, gelf.Host, gelf.Port, gelf.Compression));
        Assert.Equal(["_E1", "_a", "_command", "_container_id", "_container_name", "_created", "_image_id", "_image_name", "_tag"], gelf.Fields.Select(f => f[0]));
        Assert.Equal(["v1", "b", "sh -c echo hi"], gelf.Fields.Take(3).Select(f => f[1]));
        Assert.Equal("2026-11-29T19:03:12.1234567Z", gelf.Fields.Single(f => f[0] == "_created")[1]);

        var syslog = LogSettings.Resolve(Config("syslog", ("syslog-address", "udp://127.0.0.1"), ("syslog-facility", "local0"), ("tag", "{{.Name}}")), container).Forward!;
        Assert.Equal(("udp", 514, 16, "web"), (syslog.Network, syslog.Port, syslog.Facility, syslog.Tag));

        int closedPort = ClosedPort();
        var refused = Assert.Throws<BerthException>(() => LogSettings.Resolve(Config("fluentd", ("fluentd-address", $"127.0.0.1:{closedPort}")), container));
        Assert.Equal((ErrorKind.Internal, $"failed to initialize logging driver: dial tcp 127.0.0.1:{closedPort}: connect: connection refused"),
            (refused.Kind, refused.Message));
        Assert.Equal($"failed to initialize logging driver: gelf: cannot connect to GELF endpoint: 127.0.0.1:{closedPort} dial tcp 127.0.0.1:{closedPort}: connect: connection refused",
            Assert.Throws<BerthException>(() => LogSettings.Resolve(Config("gelf", ("gelf-address", $"tcp://127.0.0.1:{closedPort}")), container)).Message);
        Assert.Equal("failed to initialize logging driver: dial udp: address 99999: invalid port",
            Assert.Throws<BerthException>(() => LogSettings.Resolve(Config("syslog", ("syslog-address", "udp://1.2.3.4:99999")), container)).Message);
        // fluentd-async: the shim connects when it can.
        Assert.Equal(closedPort, LogSettings.Resolve(Config("fluentd", ("fluentd-address", $"127.0.0.1:{closedPort}"), ("fluentd-async", "true")), container).Forward!.Port);
        // Without a container (the daemon's default, checked at boot) no server is tried.
        Assert.Null(LogSettings.Resolve(Config("fluentd", ("fluentd-address", $"127.0.0.1:{closedPort}"))).Forward);

        if (!File.Exists(RemoteLogTarget.JournalSocket))
            Assert.Equal("failed to initialize logging driver: journald is not enabled on this host",
                Assert.Throws<BerthException>(() => LogSettings.Resolve(Config("journald"), container)).Message);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
