using Berth.Daemon.Hosting;
using Berth.Oci.Errors;

namespace Berth.Tests.Daemon;

public sealed class DaemonOptionsTests
{
    [Fact]
    public void Defaults_match_the_documented_paths()
    {
        var options = DaemonOptions.Parse(["--config-file=/dev/null"]);
        Assert.Equal(["unix:///run/berth/berth.sock"], options.Hosts);
        Assert.Equal("/var/lib/berth", options.DataRoot);
        Assert.Equal("/run/berth", options.ExecRoot);
    }

    [Fact]
    public void Flags_override_the_config_file()
    {
        string file = Path.GetTempFileName();
        File.WriteAllText(file, "{\"data-root\": \"/srv/berth\", \"hosts\": [\"unix:///tmp/a.sock\"], \"registry-mirrors\": []}");
        var options = DaemonOptions.Parse(["--config-file", file, "-H", "unix:///tmp/b.sock", "--exec-root=/run/x"]);
        Assert.Equal("/srv/berth", options.DataRoot);
        Assert.Equal("/run/x", options.ExecRoot);
        Assert.Equal(["unix:///tmp/b.sock"], options.Hosts);
        File.Delete(file);
    }

    [Fact]
    public void Log_driver_and_options_come_from_the_file_and_from_flags()
    {
        string file = Path.GetTempFileName();
        File.WriteAllText(file, "{\"log-driver\": \"local\", \"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"}}");
        var options = DaemonOptions.Parse(["--config-file", file, "--log-opt", "max-file=4"]);
        Assert.Equal("local", options.LogDriver);
        Assert.Equal(new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "4" }, options.LogOpts);
        Assert.Equal("json-file", DaemonOptions.Parse(["--config-file=/dev/null"]).LogDriver);
        File.Delete(file);
    }

    [Fact]
    public void Container_defaults_come_from_dockers_keys_and_the_rest_is_listed_as_ignored()
    {
        string file = Path.GetTempFileName();
        File.WriteAllText(file, """
            {"dns": ["10.0.0.2"], "dns-search": ["corp"], "dns-opts": ["ndots:2"], "default-shm-size": "128M",
             "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 4096, "Soft": 2048}}, "no-new-privileges": true,
             "default-address-pools": [{"base": "10.123.0.0/16", "size": 24}], "oom-score-adjust": -400}
            """);
        var options = DaemonOptions.Parse(["--config-file", file, "--default-ulimit", "nproc=100:200", "--default-address-pool", "base=10.124.0.0/16,size=20"]);
        Assert.Equal(["10.0.0.2"], options.Dns);
        Assert.Equal(["corp"], options.DnsSearch);
        Assert.Equal(["ndots:2"], options.DnsOptions);
        Assert.Equal(128L * 1024 * 1024, options.DefaultShmSize);
        Assert.Equal((2048L, 4096L), options.DefaultUlimits["nofile"]);
        Assert.Equal((100L, 200L), options.DefaultUlimits["nproc"]);
        Assert.True(options.NoNewPrivileges);
        Assert.Equal([("10.123.0.0/16", 24), ("10.124.0.0/16", 20)], options.DefaultAddressPools);
        Assert.Equal(["oom-score-adjust"], options.IgnoredKeys);
        Assert.Throws<BerthException>(() => DaemonOptions.Parse(["--config-file=/dev/null", "--default-ulimit", "nofile=9:1"]));
        File.Delete(file);
    }

    [Fact]
    public void Unknown_flags_are_refused()
    {
        var error = Assert.Throws<BerthException>(() => DaemonOptions.Parse(["--config-file=/dev/null", "--bogus", "1"]));
        Assert.Equal("unknown flag: --bogus", error.Message);
    }
}
