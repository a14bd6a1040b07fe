using Berth.IntegrationTests.Archives;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Exec;

/// <summary>
/// An exec'd process is confined exactly like the container's init (the shim starts it natively, without runc):
/// capabilities, no_new_privs, the seccomp filter, cgroups and namespaces compared with the init as the host sees it;
/// users, groups and privileged execs; error messages and exit codes compared with the reference dockerd.
/// </summary>
public sealed class ExecSecurityTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private static readonly string[] SecurityFields = ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "Seccomp_filters"];
    private static readonly string[] Namespaces = ["ipc", "uts", "net", "pid", "mnt", "cgroup", "user"];

    private BerthDaemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData("")]
    [InlineData("--cap-drop ALL --cap-add NET_ADMIN --security-opt no-new-privileges")]
    [InlineData("--privileged")]
    [InlineData("--security-opt seccomp=unconfined --cap-add SYS_ADMIN")]
    [InlineData("--ulimit nofile=100:200 --oom-score-adj 500")]
    public async Task The_exec_has_the_inits_capabilities_seccomp_cgroups_and_namespaces(string runOptions)
    {
        var (c, initPid) = await RunningAsync(runOptions.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        string status = (await Daemon.DockerAsync("exec", c, "cat", "/proc/self/status")).EnsureSuccess().Stdout;
        string cgroups = (await Daemon.DockerAsync("exec", c, "cat", "/proc/self/cgroup")).EnsureSuccess().Stdout;
        string namespaces = (await Daemon.DockerAsync("exec", c, "sh", "-c", $"for n in {string.Join(' ', Namespaces)}; do readlink /proc/self/ns/$n; done")).EnsureSuccess().Stdout;

        Assert.Equal(Fields(File.ReadAllText($"/proc/{initPid}/status")), Fields(status));
        Assert.Equal(File.ReadAllText($"/proc/{initPid}/cgroup"), cgroups);
        Assert.Equal(string.Concat(Namespaces.Select(n => new FileInfo($"/proc/{initPid}/ns/{n}").LinkTarget + "\n")), namespaces);
    }

    [Fact]
    public async Task A_privileged_exec_has_every_capability_and_keeps_the_containers_seccomp_filter()
    {
        var (c, initPid) = await RunningAsync();

        var status = Fields((await Daemon.DockerAsync("exec", "--privileged", c, "cat", "/proc/self/status")).EnsureSuccess().Stdout);
        var init = Fields(File.ReadAllText($"/proc/{initPid}/status"));

        ulong bounding = Convert.ToUInt64(status["CapBnd"], 16);
        Assert.Equal(status["CapBnd"], status["CapEff"]);
        Assert.Equal(status["CapBnd"], status["CapPrm"]);
        Assert.Equal(Convert.ToUInt64(init["CapBnd"], 16), bounding & Convert.ToUInt64(init["CapBnd"], 16));
        Assert.True(bounding > Convert.ToUInt64(init["CapBnd"], 16));
        Assert.Equal("0", status["NoNewPrivs"]);
        Assert.Equal((init["Seccomp"], init["Seccomp_filters"]), (status["Seccomp"], status["Seccomp_filters"]));
    }

    [Fact]
    public async Task Users_groups_home_and_directory_are_the_reference_dockers()
    {
        string[] runOptions = ["--group-add", "10"];
        string[][] execs =
        [
            ["-u", "1000:1000", "-w", "/tmp"],
            ["-u", "1000"],
            [],
        ];
        const string Probe = "id; echo $HOME; pwd; grep -E '^(Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp)' /proc/self/status";
        var (c, _) = await RunningAsync(runOptions);
        await ReferenceDocker.EnsureStartedAsync();
        string reference = (await ReferenceDocker.CheckAsync(["run", "-d", .. runOptions, "busybox", "sleep", "300"])).Trim();
        try
        {
            foreach (var options in execs)
            {
                var ours = (await Daemon.DockerAsync(["exec", .. options, c, "sh", "-c", Probe])).EnsureSuccess();
                var theirs = await ReferenceDocker.CheckAsync(["exec", .. options, reference, "sh", "-c", Probe]);
                Assert.Equal(theirs, ours.Stdout);
            }
        }
        finally
        {
            await ReferenceDocker.RunAsync("rm", "-f", reference);
        }
    }

    [Fact]
    public async Task A_syscall_the_seccomp_profile_denies_is_denied_in_the_exec_as_in_the_init()
    {
        string profile = Path.Combine(Daemon.Root, "deny-profile.json");
        await File.WriteAllTextAsync(profile, """
            {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
              {"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13},
              {"names":["personality"],"action":"SCMP_ACT_ERRNO","errnoRet":1,"args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]}]}
            """);
        const string Probe = "mkdir /tmp/x 2>&1; echo rc=$?; linux32 true 2>&1; echo rc=$?; linux64 true; echo rc=$?";
        string init = (await Daemon.DockerAsync("run", "--rm", "--security-opt", "seccomp=" + profile, "busybox", "sh", "-c", Probe)).Stdout;
        var (c, _) = await RunningAsync("--security-opt", "seccomp=" + profile);

        string exec = (await Daemon.DockerAsync("exec", c, "sh", "-c", Probe)).Stdout;

        Assert.Equal("mkdir: can't create directory '/tmp/x': Permission denied\nrc=1\nlinux32: personality(0x8): Operation not permitted\nrc=1\nrc=0\n", exec);
        Assert.Equal(init, exec);
    }

    [Fact]
    public async Task The_default_profile_denies_unshare_in_the_exec_as_in_the_init()
    {
        const string Probe = "unshare -u true 2>&1; echo rc=$?";
        string init = (await Daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", Probe)).Stdout;
        var (c, _) = await RunningAsync();

        string exec = (await Daemon.DockerAsync("exec", c, "sh", "-c", Probe)).Stdout;

        Assert.Equal("unshare: unshare(0x4000000): Operation not permitted\nrc=1\n", exec);
        Assert.Equal(init, exec);
    }

    [Fact]
    public async Task A_tty_exec_gets_a_pty_of_the_containers_devpts_as_its_controlling_terminal()
    {
        var (c, _) = await RunningAsync();

        var result = await Daemon.DockerAsync("exec", "-t", c, "sh", "-c", "tty; ls /dev/pts; cat /proc/self/stat | cut -d' ' -f7");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^/dev/pts/\d+$", lines[0]);
        Assert.Contains(lines[0]["/dev/pts/".Length..], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.NotEqual("0", lines[^1]); // tty_nr: it is the process's controlling terminal
    }

    [Fact]
    public async Task Failures_have_the_reference_dockers_messages_and_exit_codes()
    {
        string[][] cases = [["no-such-command"], ["/no/such"], ["/tmp"], ["/etc/passwd"], ["-w", "/nonexistent", "pwd"], ["sh", "-c", "exit 7"], ["sh", "-c", "kill -9 $$"]];
        var (c, _) = await RunningAsync();
        await ReferenceDocker.EnsureStartedAsync();
        string reference = (await ReferenceDocker.CheckAsync("run", "-d", "busybox", "sleep", "300")).Trim();
        try
        {
            foreach (var command in cases)
            {
                string[] options = command[0] == "-w" ? command[..2] : [];
                string[] args = command[options.Length..];
                var ours = await Daemon.DockerAsync(["exec", .. options, c, .. args]);
                var theirs = await ReferenceDocker.RunAsync(["exec", .. options, reference, .. args]);
                Assert.Equal((theirs.ExitCode, theirs.Stdout, theirs.Stderr), (ours.ExitCode, ours.Stdout, ours.Stderr));
            }
        }
        finally
        {
            await ReferenceDocker.RunAsync("rm", "-f", reference);
        }
    }

    [Fact]
    public async Task Detached_and_interactive_execs_run_in_the_container()
    {
        var (c, _) = await RunningAsync();

        (await Daemon.DockerAsync("exec", "-d", c, "sh", "-c", "echo $$ > /tmp/detached; sleep 1")).EnsureSuccess();
        var echoed = await Daemon.DockerWithInputAsync("from stdin\n", "exec", "-i", c, "sh", "-c", "cat; cat /tmp/detached");

        Assert.Equal(0, echoed.ExitCode);
        var lines = echoed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("from stdin", lines[0]);
        Assert.True(int.Parse(lines[1]) < 1000); // a pid of the container's namespace
    }

    private static Dictionary<string, string> Fields(string status) =>
        status.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && SecurityFields.Contains(parts[0]))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());

    private async Task<(string Name, int InitPid)> RunningAsync(params string[] options)
    {
        string name = "execsec-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync(["run", "-d", "--name", name, .. options, "busybox", "sleep", "300"])).EnsureSuccess();
        string pid = (await Daemon.DockerAsync("inspect", "-f", "{{.State.Pid}}", name)).EnsureSuccess().Stdout.Trim();
        return (name, int.Parse(pid));
    }
}
