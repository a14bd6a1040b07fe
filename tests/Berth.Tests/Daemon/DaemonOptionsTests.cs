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
    public void Unknown_flags_are_refused()
    {
        var error = Assert.Throws<BerthException>(() => DaemonOptions.Parse(["--config-file=/dev/null", "--bogus", "1"]));
        Assert.Equal("unknown flag: --bogus", error.Message);
    }
}
