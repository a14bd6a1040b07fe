using Berth.Daemon.Hosting;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Daemon;

/// <summary>dockerd's keys for container defaults, logging and storage, and the keys berthd refuses or only warns about.</summary>
public sealed class EngineDaemonOptionsTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    private DaemonOptions ParseFile(string json, params string[] flags)
    {
        File.WriteAllText(_file, json);
        return DaemonOptions.Parse(["--config-file", _file, .. flags]);
    }

    private string Refusal(string json, params string[] flags) => Assert.Throws<BerthException>(() => ParseFile(json, flags)).Message;

    [Fact]
    public void Container_defaults_and_daemon_settings_come_from_the_file()
    {
        var options = ParseFile("""
            {"log-level": "warn", "default-ipc-mode": "shareable", "default-cgroupns-mode": "private", "cgroup-parent": "mine/",
             "storage-driver": "overlay2", "exec-opts": ["native.cgroupdriver=cgroupfs"], "live-restore": true, "experimental": true,
             "shutdown-timeout": 30, "group": "staff", "features": {"buildkit": false}, "seccomp-profile": "unconfined"}
            """);
        Assert.Equal("warn", options.LogLevel);
        Assert.Equal("shareable", options.DefaultIpcMode);
        Assert.Equal("private", options.DefaultCgroupnsMode);
        Assert.Equal("/mine", options.CgroupParent);
        Assert.True(options.LiveRestore);
        Assert.True(options.Experimental);
        Assert.Equal(30, options.ShutdownTimeout);
        Assert.Equal("staff", options.SocketGroup);
        Assert.True(options.SocketGroupGiven);
        Assert.Equal(new Dictionary<string, bool> { ["buildkit"] = false }, options.Features);
        Assert.Equal("unconfined", options.SeccompProfile);
        Assert.Empty(options.IgnoredKeys);
    }

    [Fact]
    public void Flags_take_the_short_names_and_bare_booleans()
    {
        var options = DaemonOptions.Parse(["--config-file=/dev/null", "-l", "error", "-s", "overlay2", "-G", "42", "--live-restore", "--experimental=false"]);
        Assert.Equal("error", options.LogLevel);
        Assert.Equal("42", options.SocketGroup);
        Assert.True(options.LiveRestore);
        Assert.False(options.Experimental);
        Assert.Equal(LogLevel.Error, DaemonLogLevel.Of(options));
        options.Debug = true;
        Assert.Equal(LogLevel.Debug, DaemonLogLevel.Of(options));
    }

    [Fact]
    public void Debug_init_tlsverify_and_no_new_privileges_read_booleans_as_go_does()
    {
        var options = DaemonOptions.Parse(["--config-file=/dev/null", "--debug=T", "--init=True", "--tlsverify=t", "--no-new-privileges=TRUE"]);
        Assert.True(options.Debug && options.Init && options.TlsVerify && options.NoNewPrivileges);
        options = DaemonOptions.Parse(["--config-file=/dev/null", "--debug=F", "--init=0", "--tlsverify=False", "--no-new-privileges=f"]);
        Assert.False(options.Debug || options.Init || options.TlsVerify || options.NoNewPrivileges);
        Assert.Equal("invalid boolean value \"yes\" for init", Assert.Throws<BerthException>(() => DaemonOptions.Parse(["--config-file=/dev/null", "--init=yes"])).Message);
    }

    [Fact]
    public void Bad_values_are_refused_with_dockerds_messages()
    {
        Assert.Equal("unable to parse logging level: loud", Refusal("""{"log-level": "loud"}"""));
        Assert.Equal($"unable to configure the daemon with file {_file}: configuration validation from file failed: default IPC mode setting (bogus) is invalid; use \"shareable\" or \"private\"",
            Refusal("""{"default-ipc-mode": "bogus"}"""));
        Assert.Contains("default cgroup namespace mode (bogus) is invalid; use \"host\" or \"private\"", Refusal("""{"default-cgroupns-mode": "bogus"}"""));
        Assert.Equal("failed to start daemon: native.cgroupdriver option bogus not supported", Refusal("""{"exec-opts": ["native.cgroupdriver=bogus"]}"""));
        Assert.Contains("systemd is not supported", Refusal("""{"exec-opts": ["native.cgroupdriver=systemd"]}"""));
        Assert.Contains("overlay2 only, not \"btrfs\"", Refusal("""{"storage-driver": "btrfs"}"""));
        Assert.Equal($"unable to configure the daemon with file {_file}: configuration validation from file failed: bad attribute format: a",
            Refusal("""{"labels": ["a"]}"""));
        Assert.Equal("bad attribute format: b", Refusal("{}", "--label", "b"));
    }

    [Fact]
    public void Keys_dockerd_does_not_know_are_refused_and_its_own_are_warned_about()
    {
        Assert.Equal($"unable to configure the daemon with file {_file}: the following directives don't match any configuration option: bogus-key, other",
            Refusal("""{"bogus-key": 1, "debug": false, "other": "x"}"""));
        var options = ParseFile("""{"oom-score-adjust": -500, "raw-logs": true, "userns-remap": "", "selinux-enabled": false, "authorization-plugins": ["authz-a"]}""", "--authorization-plugin", "authz-b");
        Assert.Equal(["oom-score-adjust", "raw-logs", "userns-remap", "selinux-enabled"], options.IgnoredKeys);
        Assert.Equal(["authz-a", "authz-b"], options.AuthorizationPlugins);
    }

    [Fact]
    public void Max_download_attempts_is_acted_on_and_must_be_positive()
    {
        Assert.Equal(5, ParseFile("{}").MaxDownloadAttempts);
        var options = ParseFile("""{"max-download-attempts": 2}""");
        Assert.Equal(2, options.MaxDownloadAttempts);
        Assert.Empty(options.IgnoredKeys);
        Assert.Equal(7, ParseFile("{}", "--max-download-attempts", "7").MaxDownloadAttempts);
        Assert.Equal("invalid max download attempts: 0", Refusal("""{"max-download-attempts": 0}"""));
        Assert.Equal("invalid max download attempts: -3", Refusal("{}", "--max-download-attempts=-3"));
    }

    [Fact]
    public void Settings_that_would_weaken_isolation_if_ignored_stop_the_daemon()
    {
        Assert.Contains("userns-remap is not supported", Refusal("""{"userns-remap": "default"}"""));
        Assert.Contains("SELinux is not supported", Refusal("""{"selinux-enabled": true}"""));
    }

    [Fact]
    public void The_seccomp_profile_is_read_and_checked_at_start()
    {
        Assert.Null(DaemonSeccomp.Load(""));
        Assert.Null(DaemonSeccomp.Load("builtin"));
        Assert.Equal("unconfined", DaemonSeccomp.Load("unconfined"));
        Assert.StartsWith("failed to start daemon: opening seccomp profile (/nonexistent.json) failed:", Assert.Throws<BerthException>(() => DaemonSeccomp.Load("/nonexistent.json")).Message);
        File.WriteAllText(_file, """{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}""");
        Assert.Contains("SCMP_ACT_ALLOW", DaemonSeccomp.Load(_file));
        File.WriteAllText(_file, "not json");
        Assert.StartsWith($"failed to start daemon: loading seccomp profile ({_file}) failed:", Assert.Throws<BerthException>(() => DaemonSeccomp.Load(_file)).Message);
    }
}
